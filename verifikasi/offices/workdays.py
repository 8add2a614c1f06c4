"""An office's working days (hari kerja): its service days, without holidays and closures.

The deficiency deadline (issue 20) and the service-time clock (issue 19) count
working days: the office's service days (``Office.service_days``, Monday to
Friday by default), minus Indonesian public holidays, cuti bersama and the
office's own closures. Those dates live in the scheduling app, a higher layer,
so it *registers* a provider here (``closed_days_provider``, from its
``AppConfig.ready``); this module never imports it.

A ``WorkCalendar`` asks its providers once per calendar year it touches, so a
loop over many registrations of one office costs one query per year.
"""

from collections.abc import Callable
from datetime import date, timedelta

# provider(office, first, last) -> {date: why it is closed}
ClosedDays = Callable[[object, date, date], dict[date, str]]
_providers: list[ClosedDays] = []

# How far a search for the next working day may go before giving up: an office
# with no service day at all (or a year of closures) has no deadline to compute.
SEARCH_LIMIT_DAYS = 3 * 366


class NoWorkingDays(ValueError):
    """The office has no working day within a year: nothing can be counted."""


def closed_days_provider(func: ClosedDays) -> ClosedDays:
    """Register ``func(office, first, last)`` answering which dates the office is closed."""
    if func not in _providers:
        _providers.append(func)
    return func


def parse_service_days(value: str) -> frozenset[int]:
    """``"12345"`` (ISO weekdays, 1 = Monday) → {0, 1, 2, 3, 4} (Python weekdays)."""
    return frozenset(int(c) - 1 for c in value or "" if c in "1234567")


class WorkCalendar:
    """The working days of one office."""

    def __init__(self, office):
        self.office = office
        self.service_days = parse_service_days(getattr(office, "service_days", "12345"))
        self._closed: dict[date, str] = {}
        self._years: set[int] = set()

    def _load(self, year: int) -> None:
        if year in self._years:
            return
        self._years.add(year)
        for provider in _providers:
            self._closed.update(provider(self.office, date(year, 1, 1), date(year, 12, 31)))

    def closed_reason(self, day: date) -> str:
        """Why ``day`` is not a working day ("" when it is one)."""
        self._load(day.year)
        if day in self._closed:
            return self._closed[day]
        if day.weekday() not in self.service_days:
            return "weekend"
        return ""

    def is_working_day(self, day: date) -> bool:
        return not self.closed_reason(day)

    def add_working_days(self, start: date, days: int) -> date:
        """The ``days``-th working day after ``start`` (``start`` itself when 0)."""
        day, left, scanned = start, days, 0
        while left > 0:
            day += timedelta(days=1)
            scanned += 1
            if scanned > SEARCH_LIMIT_DAYS:
                raise NoWorkingDays(str(self.office))
            if self.is_working_day(day):
                left -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: 1 from a Friday to the next Monday.

        Negative when ``end`` is before ``start`` (a deadline already passed).
        """
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count


def add_working_days(office, start: date, days: int) -> date:
    return WorkCalendar(office).add_working_days(start, days)


def working_days_between(office, start: date, end: date) -> int:
    return WorkCalendar(office).working_days_between(start, end)
