"""The report's period: grouped by week or month, between two dates of the office's calendar."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

WEEK, MONTH = "week", "month"
MAX_DAYS = 3 * 366

ERR_ORDER = _("Tanggal akhir harus sama dengan atau sesudah tanggal awal.")
ERR_LONG = _("Rentang laporan paling lama tiga tahun.")


@dataclass(frozen=True)
class Period:
    group: str  # WEEK or MONTH
    start: date
    end: date  # inclusive
    tz: object

    @property
    def since(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=self.tz)

    @property
    def until(self) -> datetime:  # exclusive
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=self.tz)

    def buckets(self) -> list[date]:
        """Every week (its Monday) or month (its first day) the period touches, in order."""
        if self.group == WEEK:
            first = self.start - timedelta(days=self.start.weekday())
            return [first + timedelta(weeks=i)
                    for i in range((self.end - first).days // 7 + 1)]
        months, current = [], self.start.replace(day=1)
        while current <= self.end:
            months.append(current)
            current = (current + timedelta(days=32)).replace(day=1)
        return months

    def label(self, bucket: date) -> str:
        return (bucket.strftime("%Y-%m") if self.group == MONTH
                else f"{bucket.isocalendar().year}-W{bucket.isocalendar().week:02d}")

    def query(self) -> str:
        return f"group={self.group}&start={self.start.isoformat()}&end={self.end.isoformat()}"


def default_period(tz, group: str = MONTH) -> Period:
    """The last six months (this one included), or the last twelve weeks."""
    today = timezone.localdate(timezone=tz)
    if group == WEEK:
        start = today - timedelta(days=today.weekday(), weeks=11)
    else:
        start = today.replace(day=1)
        for _ in range(5):
            start = (start - timedelta(days=1)).replace(day=1)
    return Period(group, start, today, tz)


class PeriodForm(forms.Form):
    group = forms.ChoiceField(label=_("Dikelompokkan per"), required=False,
                              choices=[(MONTH, _("bulan")), (WEEK, _("minggu"))])
    start = forms.DateField(label=_("Dari tanggal"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label=_("Sampai tanggal"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, tz, **kwargs):
        super().__init__(*args, **kwargs)
        self.tz = tz

    def clean(self):
        data = super().clean()
        group = data.get("group") or MONTH
        default = default_period(self.tz, group)
        start, end = data.get("start") or default.start, data.get("end") or default.end
        if end < start:
            raise forms.ValidationError(ERR_ORDER)
        if (end - start).days > MAX_DAYS:
            raise forms.ValidationError(ERR_LONG)
        data["period"] = Period(group, start, end, self.tz)
        return data
