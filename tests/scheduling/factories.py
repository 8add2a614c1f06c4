"""Registrations at each scheduling step, built through the real services."""

import itertools
from datetime import datetime
from zoneinfo import ZoneInfo

from tests.conftest import make_user
from tests.registrations.factories import make_registration
from verifikasi.scheduling import services

WIB = ZoneInfo("Asia/Pontianak")
_npwp = itertools.count(1)


def wib(year, month, day, hour=0, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WIB)


def accepted(vendor, office, **fields):
    """A registration whose documents the verifier accepted (C.3)."""
    fields.setdefault("status", "documents_accepted")
    return make_registration(vendor, office, **fields)


def another_accepted(office, n: int | None = None):
    """One more vendor's accepted registration (its own NPWP: one open per NPWP)."""
    n = n if n is not None else next(_npwp)
    vendor = make_user(f"vendor{n}@usaha.test", full_name=f"Vendor {n}")
    return accepted(vendor, office, npwp=f"{900000000000000 + n:016d}",
                    company_name=f"CV Usaha {n}")


def propose(registration, *starts):
    return services.appointment_propose(registration=registration, actor=registration.vendor,
                                        starts=list(starts))


def schedule(registration, start, staff):
    """Proposed by the vendor and confirmed by ``staff``: status "scheduled"."""
    propose(registration, start)
    return services.appointment_confirm(registration=registration, actor=staff, start=start)


def call_time_arrives(registration, *, minutes_ago: int = 5) -> None:
    """The day of the call comes: the confirmed time (appointment, its seat, its meeting)
    moves to have started ``minutes_ago``. For tests whose servers run on the real clock
    (browser tests), where the days until a bookable slot cannot pass by themselves."""
    from datetime import timedelta

    from django.db.models import F
    from django.utils import timezone

    from verifikasi.meetings.models import Meeting, MeetingState
    from verifikasi.scheduling.models import Appointment, AppointmentState, SlotBooking

    appointment = Appointment.objects.get(registration=registration,
                                          state=AppointmentState.CONFIRMED)
    shift = appointment.start - (timezone.now() - timedelta(minutes=minutes_ago))
    Appointment.objects.filter(pk=appointment.pk).update(start=F("start") - shift,
                                                         end=F("end") - shift)
    SlotBooking.objects.filter(appointment=appointment).update(start=F("start") - shift,
                                                               end=F("end") - shift)
    Meeting.objects.filter(registration=registration).exclude(
        state=MeetingState.CANCELLED).update(start_at=F("start_at") - shift)
