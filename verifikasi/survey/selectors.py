"""Reading the SKM: periods (semesters, as offices report them), sums and the IKM."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from .elements import CODES, Result, category_for, ikm_result, rounded
from .models import SurveyResponse


@dataclass(frozen=True)
class Period:
    """A semester: Januari–Juni (1) or Juli–Desember (2) of a year."""

    year: int
    half: int

    @property
    def key(self) -> str:
        return f"{self.year}-{self.half}"

    @property
    def label(self) -> str:
        return str(_("Semester %(half)s %(year)s") % {"half": "I" if self.half == 1 else "II",
                                                      "year": self.year})

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def end(self) -> datetime.date:  # exclusive
        return datetime.date(self.year, 7, 1) if self.half == 1 else \
            datetime.date(self.year + 1, 1, 1)

    @classmethod
    def of(cls, day: datetime.date) -> "Period":
        return cls(day.year, 1 if day.month <= 6 else 2)

    @classmethod
    def parse(cls, key: str | None) -> "Period | None":
        """``"2026-2"`` → the period; anything else → None (the caller picks a default)."""
        try:
            year, half = (int(p) for p in (key or "").split("-"))
        except ValueError:
            return None
        return cls(year, half) if 2000 <= year <= 2100 and half in (1, 2) else None


@dataclass(frozen=True)
class PeriodSummary:
    period: Period
    respondents: int
    ikm: Decimal
    grade: str
    label: object


def survey_summaries(office) -> list[PeriodSummary]:
    """Respondents, IKM and category per semester, newest first (sums computed in SQL)."""
    per_month = (SurveyResponse.objects.filter(office=office).values("month")
                 .annotate(n=Count("pk"), **{c: Sum(c) for c in CODES}))
    periods: dict[Period, dict] = {}
    for row in per_month:
        acc = periods.setdefault(Period.of(row["month"]), {"n": 0, **dict.fromkeys(CODES, 0)})
        for name in ("n", *CODES):
            acc[name] += row[name]
    result = []
    for period, acc in sorted(periods.items(), key=lambda p: (p[0].year, p[0].half),
                              reverse=True):
        total = sum(Decimal(acc[c]) for c in CODES)
        ikm = rounded(total / Decimal(acc["n"]) / len(CODES) * 25)
        category = category_for(ikm)
        result.append(PeriodSummary(period, acc["n"], ikm, category.grade, category.label))
    return result


def survey_rows(office, period: Period) -> list[dict]:
    """The answer sets of one period (no order that follows when they were given)."""
    return list(SurveyResponse.objects.filter(office=office, month__gte=period.start,
                                              month__lt=period.end)
                .order_by("month", "id").values(*CODES, "suggestion"))


def survey_result(rows: list[dict]) -> Result | None:
    return ikm_result(rows)
