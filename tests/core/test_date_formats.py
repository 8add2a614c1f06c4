"""Issue 21: one way to write a date and a time — "8 Desember 2026, 10.30–11.00" in
Indonesian (pages, emails, calendar invites), "10:30" only on English pages."""

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.formats import date_format, time_format

from verifikasi.scheduling.slots import format_slot

TEMPLATES = Path(__file__).resolve().parents[2] / "verifikasi" / "templates"
TZ = ZoneInfo("Asia/Pontianak")
START = datetime(2026, 12, 8, 10, 30, tzinfo=TZ)
END = datetime(2026, 12, 8, 11, 0, tzinfo=TZ)
# A date or time filter's format: a name (DATE_FORMAT, …) or a pattern of its own.
FILTER_FORMAT = re.compile(r"""\|(?:date|time):["']([^"']*)["']""")


# Patterns for machines, not people: ids, URL and form values.
MACHINE = {"Y-m-d", "YmdHi"}


def own_clock_or_zero_day(fmt: str) -> bool:
    """A pattern with a colon clock or a zero-padded day ("d"), instead of a format name."""
    if re.fullmatch(r"[A-Z_]+|c|U", fmt) or fmt in MACHINE:
        return False
    return "H:i" in fmt or re.search(r"(?<!\\)d", fmt) is not None


def test_indonesian_dates_have_no_leading_zero_and_times_a_dot():
    with translation.override("id"):
        assert date_format(START, "DATETIME_FORMAT") == "8 Desember 2026 10.30"
        assert date_format(START, "SHORT_DATETIME_FORMAT") == "8 Des 2026 10.30"
        assert time_format(START, "TIME_FORMAT") == "10.30"
        assert format_slot(START, END, TZ, "WIB") == "Selasa, 8 Desember 2026, 10.30–11.00 WIB"
    with translation.override("en"):
        assert time_format(START, "TIME_FORMAT") == "10:30"
        assert format_slot(START, END, TZ, "WIB") == "Tuesday, 8 December 2026, 10:30–11:00 WIB"


def test_the_meeting_time_on_a_page_is_written_like_the_slot():
    line = Template('{{ s|date:"l, j F Y" }}, '
                    '{{ s|time:"TIME_FORMAT" }}–{{ e|time:"TIME_FORMAT" }}')
    with translation.override("id"), timezone.override(TZ):
        text = line.render(Context({"s": START, "e": END}))
    assert text == "Selasa, 8 Desember 2026, 10.30–11.00"


def test_no_template_writes_its_own_clock_or_zero_padded_day():
    offenders = [f"{path.relative_to(TEMPLATES)}: {m.group(1)}"
                 for path in TEMPLATES.rglob("*.*") if path.suffix in {".html", ".txt"}
                 for m in FILTER_FORMAT.finditer(path.read_text(encoding="utf-8"))
                 if own_clock_or_zero_day(m.group(1))]
    assert not offenders, f"use DATE_FORMAT/TIME_FORMAT/DATETIME_FORMAT names: {offenders}"
