"""core.timesince is Django's timesince, faster (issue 16): the same text for every
interval, in Indonesian and English, across month ends, leap days and time zones."""

import datetime
import random
from zoneinfo import ZoneInfo

import pytest
from django.utils import timesince as django
from django.utils import translation

from verifikasi.core.timesince import timesince

UTC = datetime.UTC
JAKARTA = ZoneInfo("Asia/Jakarta")


def intervals():
    """Fixed edge cases (zero, the future, a minute, month ends, 29 February, whole
    years) and a thousand random intervals from seconds to six years."""
    now = datetime.datetime(2026, 12, 5, 23, 59, 30, 123456, tzinfo=UTC)
    fixed = [now, now + datetime.timedelta(minutes=5), now - datetime.timedelta(seconds=59),
             now - datetime.timedelta(seconds=60), now - datetime.timedelta(days=7),
             now - datetime.timedelta(days=366)]
    pairs = [(d, now) for d in fixed]
    for d, n in [((2024, 1, 31), (2024, 3, 1)), ((2024, 2, 29), (2025, 2, 28)),
                 ((2024, 2, 29), (2025, 3, 1)), ((2023, 12, 31), (2024, 2, 29)),
                 ((2026, 1, 31), (2026, 2, 28)), ((2025, 3, 31), (2025, 4, 30))]:
        pairs.append((datetime.datetime(*d, 10, 0, tzinfo=UTC),
                      datetime.datetime(*n, 9, 59, 59, tzinfo=UTC)))
        pairs.append((datetime.datetime(*d, 10, 0, tzinfo=UTC),
                      datetime.datetime(*n, 10, 0, tzinfo=UTC)))
    rng = random.Random(16)
    for _ in range(1000):
        span = rng.choice([120, 86_400, 40 * 86_400, 400 * 86_400, 6 * 365 * 86_400])
        d = now - datetime.timedelta(seconds=rng.uniform(0, span))
        pairs.append((d, now))
    # The same instants, one of them in another zone: compared in d's zone.
    pairs += [(d.astimezone(JAKARTA), n) for d, n in pairs[:200]]
    return pairs


@pytest.mark.parametrize("language", ["id", "en"])
def test_it_says_what_djangos_timesince_says(language):
    with translation.override(language):
        for d, now in intervals():
            for depth in (1, 2, 3):
                expected = django.timesince(d, now, depth=depth)
                assert timesince(d, now, depth=depth) == expected, (d, now, depth)
                assert timesince(d, now, depth=depth, language=language) == expected


def test_the_two_languages_differ_and_are_kept_apart():
    d = datetime.datetime(2026, 9, 28, 8, 0, tzinfo=UTC)
    now = datetime.datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
    with translation.override("id"):
        indonesian = timesince(d, now)
    with translation.override("en"):
        english = timesince(d, now)
    with translation.override("id"):
        assert timesince(d, now) == indonesian == django.timesince(d, now)
    assert english == "2\xa0months, 1\xa0week"
    assert indonesian != english


def test_dates_naive_datetimes_and_no_now():
    with translation.override("en"):
        day = datetime.date(2026, 11, 1)
        assert timesince(day, datetime.date(2026, 12, 5)) == \
            django.timesince(day, datetime.date(2026, 12, 5))
        naive = datetime.datetime(2026, 1, 1, 12, 0)
        assert timesince(naive) == django.timesince(naive)
        with pytest.raises(ValueError):
            timesince(naive, depth=0)
