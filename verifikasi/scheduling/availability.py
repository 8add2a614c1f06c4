"""The office's availability for calls and its closed dates (B.8.c, the coordinator)."""

from datetime import datetime, timedelta

from django.db import transaction

from verifikasi.accounts.models import User
from verifikasi.core.audit import audit_log
from verifikasi.registrations import workflow
from verifikasi.registrations.models import RegistrationStatus as S

from .models import Appointment, AppointmentState, Availability, Closure

AVAILABILITY_FIELDS = [
    "hours", "slot_minutes", "capacity", "min_notice_working_days", "horizon_days",
    "vendor_reschedule_cutoff_hours", "vendor_reschedule_limit", "observe_cuti_bersama",
]


def availability_update(*, office, actor: User, data: dict, request=None) -> Availability:
    """B.8.c: the coordinator sets when the team takes calls and how many at once.

    Changes apply to times chosen from now on; confirmed calls keep their seats.
    """
    workflow.require_office("set_availability", office, actor)
    with transaction.atomic():
        availability = (Availability.objects.select_for_update().filter(office=office).first()
                        or Availability(office=office))
        changed = {k: v for k, v in data.items()
                   if k in AVAILABILITY_FIELDS and getattr(availability, k) != v}
        for name, value in changed.items():
            setattr(availability, name, value)
        availability.updated_by = actor
        availability.full_clean()
        availability.save()
        audit_log(action="scheduling.availability_updated", actor=actor, office=office,
                  obj=availability, request=request, details={"changed": changed})
    return availability


def closure_add(*, office, actor: User, start_date, end_date, note: str,
                request=None) -> tuple[Closure, list[Appointment]]:
    """Close dates for calls (office closure, training…). Returns the confirmed calls
    already on those dates, which the team should reschedule (C.8.b)."""
    workflow.require_office("set_availability", office, actor)
    with transaction.atomic():
        closure = Closure(office=office, start_date=start_date, end_date=end_date or start_date,
                          note=note.strip(), created_by=actor)
        closure.full_clean()
        closure.save()
        audit_log(action="scheduling.closure_added", actor=actor, office=office, obj=closure,
                  request=request, details={"from": start_date, "to": closure.end_date,
                                            "note": closure.note})
    tz = office.tzinfo
    affected = [
        a for a in Appointment.objects.filter(
            office=office, state=AppointmentState.CONFIRMED,
            registration__status=S.SCHEDULED,
            start__gte=datetime.combine(closure.start_date, datetime.min.time(), tz),
            start__lt=datetime.combine(closure.end_date + timedelta(days=1),
                                       datetime.min.time(), tz),
        ).select_related("registration")
    ]
    return closure, affected


def closure_remove(*, closure: Closure, actor: User, request=None) -> None:
    workflow.require_office("set_availability", closure.office, actor)
    with transaction.atomic():
        audit_log(action="scheduling.closure_removed", actor=actor, office=closure.office,
                  obj=closure, request=request,
                  details={"from": closure.start_date, "to": closure.end_date,
                           "note": closure.note})
        closure.delete()
