"""When a booked time is used up or given up: the vendor did not come, the call did not
pass or passed, or the registration closed (C.6, C.8.b, withdrawn, rejected)."""

from django.db import transaction
from django.utils import timezone

from verifikasi.accounts.models import User
from verifikasi.registrations import workflow
from verifikasi.registrations.models import Registration

from . import ics
from .invites import appointment_email, invite_store, iso
from .lifecycle import appointment_create, appointment_move
from .models import Appointment, AppointmentState
from .seats import seat_release
from .selectors import appointment_for

# ---------- After the call: no-show, not yet, pass (C.6, C.8) ----------

@workflow.effect("record_no_show")
def appointment_no_show(step: workflow.Step) -> None:
    """The seat is freed, the meeting called off, the vendor asked for new times."""
    reg = step.registration
    appointment = appointment_create(reg)
    missed_start, missed_end = appointment.start, appointment.end
    seat_release(appointment)
    note = step.data.get("note", "")
    appointment_move(appointment, "record_no_show", actor=step.actor, request=step.request,
                     start=None, end=None, no_shows=appointment.no_shows + 1,
                     last_reason=note)
    appointment.options.all().delete()
    appointment_email("appointment_no_show", reg.vendor.email, appointment,
                      missed_start=missed_start, missed_end=missed_end, note=note)


def appointment_record_no_show(*, registration: Registration, actor: User, note: str = "",
                               request=None) -> Registration:
    """The vendor did not join the call: recorded, and the registration goes back to
    scheduling (the vendor is asked to propose new times)."""
    note = (note or "").strip()
    appointment = appointment_for(registration)
    return workflow.transition(
        registration, "record_no_show", actor=actor, request=request, data={"note": note},
        details={"start": iso(appointment.start if appointment else None,
                              registration.office), "note": note[:500]})


@workflow.effect("record_not_yet")
def appointment_reopen(step: workflow.Step) -> None:
    """C.8.b: the time is used up; the vendor proposes a new one."""
    appointment = appointment_create(step.registration)
    if appointment.state != AppointmentState.CONFIRMED:
        return
    seat_release(appointment)
    appointment_move(appointment, "reopen", actor=step.actor, request=step.request,
                     start=None, end=None, last_reason=step.data.get("note", "")[:500],
                     reminder_24h_sent_at=None, reminder_1h_sent_at=None)
    appointment.options.all().delete()


@workflow.effect("record_pass")
def appointment_held(step: workflow.Step) -> None:
    """C.6: the call took place; its time stays in the calendar as held."""
    appointment = appointment_create(step.registration)
    if appointment.state == AppointmentState.CONFIRMED:
        appointment_move(appointment, "hold", actor=step.actor, request=step.request)


# ---------- Closing early (withdrawn, rejected, lapsed) ----------

@workflow.effect("withdraw", "reject", "lapse")
def appointment_release(step: workflow.Step) -> None:
    """A booked call is freed and called off; a time still ahead is cancelled in calendars."""
    appointment_cancel(registration=step.registration, actor=step.actor,
                       reason=step.data.get("reason", ""), request=step.request)


def appointment_cancel(*, registration: Registration, actor=None, reason: str = "",
                       request=None) -> bool:
    """The registration closes: free the seat, cancel the invite (inside its transition).

    A confirmed call still ahead gets a METHOD:CANCEL invite to the vendor.
    Returns whether there was an appointment to cancel.
    """
    now = timezone.now()
    with transaction.atomic():
        appointment = (Appointment.objects.select_for_update()
                       .filter(registration=registration).first())
        if appointment is None or appointment.state in (AppointmentState.CANCELLED,
                                                        AppointmentState.HELD):
            return False
        appointment.registration = registration
        attachments = []
        previous_start, previous_end = appointment.start, appointment.end
        if appointment.state == AppointmentState.CONFIRMED and appointment.start > now:
            attachments.append(invite_store(appointment, ics.CANCEL, appointment.start,
                                            appointment.end))
        seat_release(appointment)
        reason = (reason or "").strip()
        appointment_move(appointment, "cancel", actor=actor, request=request,
                         start=None, end=None, last_reason=reason,
                         sequence=appointment.sequence, invited_at=appointment.invited_at,
                         details={"previous_start": iso(previous_start, registration.office),
                                  "reason": reason[:500]})
        appointment.options.all().delete()
        if attachments:
            appointment_email("appointment_cancelled", registration.vendor.email, appointment,
                              attachments=attachments, previous_start=previous_start,
                              previous_end=previous_end, reason=reason)
    return True
