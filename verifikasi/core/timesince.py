"""Django's ``timesince`` ("2 bulan, 1 minggu") for many dates at once (issue 16).

The queue shows how long each of its fifty rows has waited. Django's ``timesince``
spends most of its time translating: two lazy ``ngettext`` calls per row, each looking
the catalog up, applying the plural rule and replacing spaces. Here the arithmetic is
Django's own, line for line (years and months by the calendar, then weeks, days, hours,
minutes; up to two adjacent units), and each translated part ("2 bulan") is kept per
language, unit and number once it has been written; the result is the same string.
``tests/core/test_timesince.py`` compares it with Django's over many intervals and both
languages.
"""

import datetime

from django.utils.html import avoid_wrapping
from django.utils.timesince import MONTHS_DAYS, TIME_CHUNKS, TIME_STRINGS, TIME_STRINGS_KEYS
from django.utils.timezone import is_aware
from django.utils.translation import get_language, gettext

_MINUTE = TIME_STRINGS_KEYS.index("minute")
# (language, unit, number) -> "2\xa0bulan"; bounded: months < 12, weeks < 5, days < 7 …
_PARTS: dict[tuple[str | None, int, int], str] = {}
_SEPARATORS: dict[str | None, str] = {}
_KEEP_AT_MOST = 5000


def _part(language: str | None, unit: int, number: int) -> str:
    key = (language, unit, number)
    text = _PARTS.get(key)
    if text is None:
        text = avoid_wrapping(TIME_STRINGS[TIME_STRINGS_KEYS[unit]] % {"num": number})
        if len(_PARTS) < _KEEP_AT_MOST:
            _PARTS[key] = text
    return text


def _separator(language: str | None) -> str:
    text = _SEPARATORS.get(language)
    if text is None:
        text = _SEPARATORS[language] = gettext(", ")
    return text


def _partials(d: datetime.datetime, now: datetime.datetime) -> list[int] | None:
    """Years, months, weeks, days, hours, minutes from ``d`` to ``now`` (None: none
    passed) — django.utils.timesince.timesince's arithmetic."""
    delta = now - d
    if delta.days * 86400 + delta.seconds <= 0:
        return None
    total_months = (now.year - d.year) * 12 + (now.month - d.month)
    if d.day > now.day or (d.day == now.day and d.time() > now.time()):
        total_months -= 1
    if total_months:
        years, months = divmod(total_months, 12)
        pivot_year = d.year + years
        pivot_month = d.month + months
        if pivot_month > 12:
            pivot_month -= 12
            pivot_year += 1
        pivot = datetime.datetime(pivot_year, pivot_month,
                                  min(MONTHS_DAYS[pivot_month - 1], d.day),
                                  d.hour, d.minute, d.second, tzinfo=d.tzinfo)
        remaining_time = (now - pivot).total_seconds()
    else:
        years = months = 0
        remaining_time = delta.total_seconds()
    partials = [years, months]
    for chunk in TIME_CHUNKS:
        count = int(remaining_time // chunk)
        partials.append(count)
        remaining_time -= chunk * count
    return partials


def timesince(d, now=None, depth: int = 2, *, language: str | None = None) -> str:
    """What ``django.utils.timesince.timesince(d, now, depth=depth)`` returns, in the
    active language (``language``: the active one, when the caller already knows it).
    Pass one ``now`` for a whole page."""
    if depth <= 0:
        raise ValueError("depth must be greater than 0.")
    if (now is None or now.__class__ is not datetime.datetime
            or d.__class__ is not datetime.datetime or now.tzinfo is not d.tzinfo):
        # Django's conversions; a page's aware datetimes in one zone need none.
        if not isinstance(d, datetime.datetime):
            d = datetime.datetime(d.year, d.month, d.day)
        if now and not isinstance(now, datetime.datetime):
            now = datetime.datetime(now.year, now.month, now.day)
        if not now:
            now = datetime.datetime.now(d.tzinfo if is_aware(d) else None)
        elif is_aware(now) and is_aware(d):
            now = now.astimezone(d.tzinfo)
    if language is None:
        language = get_language()
    partials = _partials(d, now)
    if partials is None:
        return _part(language, _MINUTE, 0)
    i = next((n for n, value in enumerate(partials) if value), None)
    if i is None:
        return _part(language, _MINUTE, 0)
    first = _part(language, i, partials[i])
    if depth == 1 or i == 5 or not partials[i + 1]:
        return first
    parts = [first, _part(language, i + 1, partials[i + 1])]
    i += 2
    while i < 6 and len(parts) < depth and partials[i]:
        parts.append(_part(language, i, partials[i]))
        i += 1
    return _separator(language).join(parts)
