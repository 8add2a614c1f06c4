# Indonesian as written in letters and on forms: "8 Desember 2026", "10.30" (issue 21).
# Pages, emails and calendar invites use these names, never a pattern of their own.
DATE_FORMAT = "j F Y"
TIME_FORMAT = "H.i"
DATETIME_FORMAT = "j F Y H.i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y H.i"
MONTH_DAY_FORMAT = "j F"
