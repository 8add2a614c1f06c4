"""Scheduling fixtures: a frozen clock in a known week, registrations at each step.

"Now" is Monday 7 December 2026, 09:00 WIB (Asia/Pontianak). With the default
availability (1 working day notice, 30 days horizon, Mon–Thu 08:00–12:00 and
13:00–15:30, Fri 08:00–11:00 and 13:30–15:30, 30-minute slots, one call at a
time) the first free slot is Tuesday 8 December 08:00 WIB.
"""

import pytest
import time_machine

from tests.scheduling.factories import accepted, wib

NOW = wib(2026, 12, 7, 9, 0)


@pytest.fixture
def clock(db):
    """The frozen clock; ``clock.move_to(dt)`` to let time pass."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def registration_documents_accepted(clock, vendor, office):
    """Documents accepted (C.3): ready for the team's scheduling decision."""
    return accepted(vendor, office)

