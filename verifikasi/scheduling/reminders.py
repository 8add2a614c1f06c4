"""The 24 h and 1 h reminders before a confirmed call (run by the worker)."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from verifikasi.core.audit import audit_log
from verifikasi.core.queue import enqueue
from verifikasi.registrations.models import RegistrationStatus as S

from .invites import appointment_email, appointment_join_url, iso
from .models import Appointment, AppointmentState
from .slots import countdown_text

REMINDERS = {"24h": timedelta(hours=24), "1h": timedelta(hours=1)}


def appointment_schedule_reminders(appointment: Appointment, now: datetime) -> None:
    """Queue each reminder still ahead for the confirmed time (run inside the confirmation)."""
    for kind, before in REMINDERS.items():
        run_at = appointment.start - before
        if run_at > now:
            enqueue("verifikasi.scheduling.tasks.appointment_send_reminder", appointment.pk,
                    kind, appointment.sequence, run_after=run_at)


def appointment_send_reminder(*, appointment_id: int, kind: str, sequence: int) -> str:
    """Send the 24 h or 1 h reminder once for the confirmed time it was scheduled for.

    The claim is a conditional UPDATE on ``reminder_<kind>_sent_at``: a second run
    of the same task, or a task left over from before a reschedule (other
    sequence), finds nothing to claim and does nothing.
    """
    if kind not in REMINDERS:
        return "skipped"
    sent_field = f"reminder_{kind}_sent_at"
    now = timezone.now()
    with transaction.atomic():
        claimed = Appointment.objects.filter(
            pk=appointment_id, state=AppointmentState.CONFIRMED, sequence=sequence,
            start__gt=now, registration__status=S.SCHEDULED, **{f"{sent_field}__isnull": True},
        ).update(**{sent_field: now})
        if not claimed:
            return "skipped"
        appointment = Appointment.objects.select_related(
            "registration__vendor", "registration__office", "office").get(pk=appointment_id)
        registration = appointment.registration
        appointment_email("appointment_reminder", registration.vendor.email, appointment,
                          kind=kind, countdown=countdown_text(appointment.start,
                                                              appointment.end, now),
                          join_url=appointment_join_url(appointment))
        audit_log(action="appointment.reminder_sent", office=registration.office,
                  obj=registration,
                  details={"kind": kind, "start": iso(appointment.start, registration.office)})
    return "sent"
