"""Slot arithmetic: which times an office can take a call, with no database access.

Everything here works on the office's own wall clock (``office.tzinfo``):
working periods, national holidays (``holidays``, country "ID", optionally
with cuti bersama), closures, the minimum notice in working days and the
booking horizon. ``selectors`` adds what is already booked.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Slot:
    start: datetime  # aware, in the office's zone
    end: datetime
    free: int = 0  # seats still free (filled in by selectors)

    @property
    def key(self) -> str:
        return slot_key(self.start)


@dataclass(frozen=True)
class ClosedDay:
    start_date: date
    end_date: date
    note: str


def slot_key(value: datetime) -> str:
    """A slot's start as a form value: office-local ISO 8601 with its offset."""
    return value.isoformat(timespec="minutes")


def parse_slot_key(value: str, tz: ZoneInfo) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    if parsed.tzinfo is None:
        return None
    return parsed.astimezone(tz)


@lru_cache(maxsize=32)
def _holidays(years: tuple[int, ...], cuti_bersama: bool) -> dict[date, str]:
    categories = ("public", "government") if cuti_bersama else ("public",)
    calendar = holidays.country_holidays("ID", years=years, categories=categories,
                                         language="id")
    return dict(calendar.items())


def holidays_between(first: date, last: date, *, cuti_bersama: bool) -> dict[date, str]:
    years = tuple(range(first.year, last.year + 1))
    return {d: n for d, n in _holidays(years, cuti_bersama).items() if first <= d <= last}


def closed_reason(availability, day: date, closures: Iterable[ClosedDay],
                  holiday_names: dict[date, str]) -> str:
    """Why no calls happen on ``day`` ("" when it is a working day)."""
    for closure in closures:
        if closure.start_date <= day <= closure.end_date:
            return closure.note
    if day in holiday_names:
        return holiday_names[day]
    if not availability.hours[day.weekday()]:
        return _("Bukan hari kerja")
    return ""


def day_slots(availability, day: date, tz: ZoneInfo) -> list[Slot]:
    """The slot grid of one day: each working period cut into slot_minutes pieces."""
    length = timedelta(minutes=availability.slot_minutes)
    slots = []
    for period_start, period_end in availability.periods(day.weekday()):
        start = datetime.combine(day, period_start, tz)
        limit = datetime.combine(day, period_end, tz)
        while start + length <= limit:
            slots.append(Slot(start, start + length))
            start += length
    return slots


@dataclass
class Window:
    """The days a new booking may fall on, and why the others may not."""

    first_day: date
    last_day: date
    closed: dict[date, str]  # every closed day between today and last_day


def booking_window(availability, now: datetime, tz: ZoneInfo,
                   closures: Iterable[ClosedDay]) -> Window:
    """Minimum notice counts working days after today; the horizon counts calendar days."""
    closures = list(closures)
    today = now.astimezone(tz).date()
    last_day = today + timedelta(days=availability.horizon_days)
    # Far enough to find the notice's working days even across Lebaran.
    scan_to = max(last_day, today + timedelta(days=3 * availability.min_notice_working_days + 30))
    names = holidays_between(today, scan_to, cuti_bersama=availability.observe_cuti_bersama)
    closed = {}
    day = today
    while day <= scan_to:
        reason = closed_reason(availability, day, closures, names)
        if reason:
            closed[day] = reason
        day += timedelta(days=1)
    first_day, needed = today, availability.min_notice_working_days
    while needed > 0 and first_day <= scan_to:
        first_day += timedelta(days=1)
        if first_day not in closed:
            needed -= 1
    return Window(first_day, last_day, closed)


def candidate_slots(availability, now: datetime, tz: ZoneInfo,
                    closures: Iterable[ClosedDay]) -> list[Slot]:
    """Every slot within notice and horizon on an open day, later than now (no bookings)."""
    window = booking_window(availability, now, tz, closures)
    slots = []
    day = window.first_day
    while day <= window.last_day:
        if day not in window.closed:
            slots.extend(s for s in day_slots(availability, day, tz) if s.start > now)
        day += timedelta(days=1)
    return slots


def slot_on_grid(availability, start: datetime, tz: ZoneInfo,
                 closures: Iterable[ClosedDay]) -> Slot | None:
    """The slot starting at ``start`` if the office takes calls then, else None.

    Used when confirming a time chosen earlier: the day may have been closed
    (or the hours changed) since; notice and horizon no longer apply.
    """
    local = start.astimezone(tz)
    day = local.date()
    names = holidays_between(day, day, cuti_bersama=availability.observe_cuti_bersama)
    if closed_reason(availability, day, closures, names):
        return None
    return next((s for s in day_slots(availability, day, tz) if s.start == local), None)


# ---------- Display (Indonesian first; English when the page is) ----------

def _clock(value: datetime) -> str:
    # Indonesian writes 09.00; English 09:00 (TIME_FORMAT in verifikasi/formats).
    return formats.time_format(value, "TIME_FORMAT")


def format_day(day: date) -> str:
    return formats.date_format(day, "l, j F Y")


def format_slot(start: datetime, end: datetime | None, tz: ZoneInfo, label: str) -> str:
    """"Senin, 7 Desember 2026, 09.00–09.30 WIB" in the office's zone."""
    local = start.astimezone(tz)
    text = f"{format_day(local.date())}, {_clock(local)}"
    if end is not None:
        text += f"–{_clock(end.astimezone(tz))}"
    return f"{text} {label}"


def format_time_range(start: datetime, end: datetime, tz: ZoneInfo, label: str) -> str:
    return f"{_clock(start.astimezone(tz))}–{_clock(end.astimezone(tz))} {label}"


def countdown_text(start: datetime, end: datetime | None, now: datetime) -> str:
    """"3 hari 4 jam lagi", computed on the server (the script only refreshes it)."""
    remaining = start - now
    if remaining.total_seconds() <= 0:
        if end is not None and now < end:
            return _("sedang berlangsung")
        return _("sudah lewat")
    minutes = int(remaining.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(n)d hari", "%(n)d hari", days) % {"n": days})
        if hours:
            parts.append(ngettext("%(n)d jam", "%(n)d jam", hours) % {"n": hours})
    elif hours:
        parts.append(ngettext("%(n)d jam", "%(n)d jam", hours) % {"n": hours})
        if minutes:
            parts.append(ngettext("%(n)d menit", "%(n)d menit", minutes) % {"n": minutes})
    else:
        minutes = max(minutes, 1)
        parts.append(ngettext("%(n)d menit", "%(n)d menit", minutes) % {"n": minutes})
    return _("%(time)s lagi") % {"time": " ".join(parts)}
