"""Scheduling services: propose, offer, confirm, reschedule, no-show (B.8, C.8.b).

Status changes go through ``workflow.transition``; the appointment, its seat,
the calendar invite, the reminder tasks and the emails change inside that same
transaction (the transition's ``effects``), so a refused or failed step leaves
nothing behind. Capacity is enforced by ``SlotBooking``'s constraints.
"""

from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from verifikasi.accounts.models import Role, User
from verifikasi.core.audit import audit_log
from verifikasi.notifications.services import email_queue
from verifikasi.registrations import workflow
from verifikasi.registrations.models import Registration
from verifikasi.registrations.models import RegistrationStatus as S

from . import ics
from .models import (
    Appointment,
    AppointmentOption,
    AppointmentState,
    Availability,
    Closure,
    OptionKind,
    SlotBooking,
)
from .selectors import (
    MAX_OPTIONS,
    PROPOSAL_STATUSES,
    appointment_for,
    appointment_options,
    availability_for,
    free_slots,
    slot_problem,
    staff_recipients,
    vendor_reschedule_blockers,
)
from .slots import Slot, countdown_text, format_slot, slot_key

REMINDERS = {"24h": timedelta(hours=24), "1h": timedelta(hours=1)}

ERR_PROPOSAL_SCHEDULED = gettext_lazy(
    "Jadwal verifikasi sudah dikonfirmasi; usulan tidak dapat diubah lagi. Gunakan "
    "“Ubah jadwal” bila berhalangan.")
ERR_PROPOSAL_STATE = gettext_lazy(
    "Usulan jadwal tidak dapat diubah karena status pendaftaran saat ini adalah “%(status)s”.")
ERR_COUNT = gettext_lazy("Pilih %(min)d sampai %(max)d jadwal.")
ERR_SLOT_GONE = gettext_lazy("Jadwal %(slot)s tidak tersedia lagi. Pilih jadwal lain.")
ERR_NOTHING_PROPOSED = gettext_lazy(
    "Belum ada usulan jadwal dari Pelaku Usaha yang menunggu keputusan. Tawarkan jadwal "
    "pengganti.")
ERR_NOT_PROPOSED = gettext_lazy("Waktu yang dipilih bukan salah satu usulan Pelaku Usaha.")
ERR_NO_OFFER = gettext_lazy("Tidak ada jadwal pengganti yang menunggu jawaban Anda.")
ERR_NOT_OFFERED = gettext_lazy(
    "Waktu yang dipilih bukan salah satu jadwal pengganti yang ditawarkan.")
ERR_NOT_CONFIRMED = gettext_lazy("Belum ada jadwal terkonfirmasi untuk pendaftaran ini.")
ERR_REASON = gettext_lazy("Alasan wajib diisi.")
ERR_NO_SHOW_EARLY = gettext_lazy(
    "Ketidakhadiran baru dapat dicatat setelah waktu video call dimulai.")
ERR_SLOT_FULL = gettext_lazy(
    "Slot tersebut baru saja terisi penuh oleh pendaftaran lain. Pilih waktu lain.")
ERR_NOT_COORDINATOR = gettext_lazy(
    "Ketersediaan jadwal hanya dapat diubah oleh Ketua Tim Verifikator kantor ini.")


class SlotUnavailable(workflow.WorkflowError):
    """Every seat of the slot was taken by a concurrent confirmation (the database said so)."""


# ---------- Hooks for other apps (filled in by the lead) ----------

def _on_confirmed(appointment: Appointment) -> None:
    """Runs inside the confirmation's transaction: the confirmed time gets its video call.

    The meetings app records or enqueues work only (a row, a task), so a
    rolled-back confirmation leaves no meeting and Zoom is called by the worker.
    """
    from verifikasi.meetings.services import meeting_open

    meeting_open(registration=appointment.registration, start_at=appointment.start,
                 end_at=appointment.end, actor=appointment.confirmed_by)


def _on_released(appointment: Appointment, actor) -> None:
    """The call is over or will not happen (no-show, not passed, closed): call off its
    meeting. A reschedule keeps the meeting for the next confirmed time."""
    from verifikasi.meetings.selectors import meeting_current
    from verifikasi.meetings.services import meeting_cancel

    meeting = meeting_current(appointment.registration)
    if meeting is not None:
        meeting_cancel(meeting=meeting, actor=actor)


def appointment_join_url(appointment: Appointment) -> str:
    """The call's join link for invites and reminders, once the meeting has one."""
    from verifikasi.meetings.models import MeetingState
    from verifikasi.meetings.selectors import meeting_current

    meeting = meeting_current(appointment.registration)
    if meeting is not None and meeting.state == MeetingState.CREATED and \
            meeting.start_at == appointment.start:
        return meeting.join_url
    return ""


# ---------- Helpers ----------

def _vendor_only(registration: Registration, actor) -> None:
    if actor is None or actor.role != Role.VENDOR or registration.vendor_id != actor.pk:
        raise workflow.WorkflowError(workflow.ERR_WRONG_ROLE)


def _staff_only(actor) -> None:
    if actor is None or actor.role not in workflow.STAFF:
        raise workflow.WorkflowError(workflow.ERR_WRONG_ROLE)


def _check_choice(office, starts: list[datetime], *, minimum: int, now: datetime,
                  availability: Availability) -> tuple[list[Slot], list[str]]:
    """Chosen times must be free slots (open day, in the window, a seat left)."""
    tz = office.tzinfo
    problems = []
    keys = [slot_key(s.astimezone(tz)) for s in starts]
    if not minimum <= len(set(keys)) <= MAX_OPTIONS or len(set(keys)) != len(keys):
        problems.append(ERR_COUNT % {"min": minimum, "max": MAX_OPTIONS})
    free = {s.key: s for s in free_slots(office, now=now, availability=availability)} \
        if starts else {}
    chosen = []
    for key, start in zip(keys, starts, strict=True):
        slot = free.get(key)
        if slot is None:
            problems.append(ERR_SLOT_GONE % {
                "slot": format_slot(start, None, tz, office.timezone_label)})
        elif slot not in chosen:
            chosen.append(slot)
    return sorted(chosen, key=lambda s: s.start), [str(p) for p in problems]


def _locked_appointment(registration: Registration) -> Appointment:
    appointment, _created = Appointment.objects.select_for_update().get_or_create(
        registration=registration, defaults={"office": registration.office})
    appointment.registration = registration
    return appointment


def _replace_options(appointment: Appointment, kind: str, slots: list[Slot], actor, *,
                     clear_all: bool) -> None:
    old = appointment.options.all() if clear_all else appointment.options.filter(kind=kind)
    old.delete()
    AppointmentOption.objects.bulk_create([
        AppointmentOption(appointment=appointment, kind=kind, start=s.start, end=s.end,
                          created_by=actor)
        for s in slots
    ])


def _book_seat(appointment: Appointment, start: datetime, end: datetime,
               capacity: int) -> SlotBooking:
    """Take the lowest free seat of the slot, or raise SlotUnavailable.

    Each attempt is its own savepoint: a concurrent confirmation that took the
    seat first makes the INSERT fail on the unique constraint (on PostgreSQL it
    waits for that transaction to commit), and the next seat is tried.
    """
    overlapping = SlotBooking.objects.filter(office=appointment.office, start__lt=end,
                                             end__gt=start)
    used = set(overlapping.values_list("seat_no", flat=True))
    for seat in range(capacity):
        if seat in used:
            continue
        try:
            with transaction.atomic():
                return SlotBooking.objects.create(
                    office=appointment.office, start=start, end=end, seat_no=seat,
                    capacity=capacity, appointment=appointment)
        except IntegrityError:
            continue
    raise SlotUnavailable(ERR_SLOT_FULL)


def _release_seat(appointment: Appointment) -> None:
    SlotBooking.objects.filter(appointment=appointment).delete()


def _invite(appointment: Appointment, method: str, start: datetime, end: datetime) -> dict:
    """Store the .ics for this change (SEQUENCE raised after the first) as an attachment."""
    now = timezone.now()
    if appointment.invited_at is not None:
        appointment.sequence += 1
    appointment.invited_at = now
    content = ics.appointment_ics(appointment, method=method, start=start, end=end,
                                  join_url=appointment_join_url(appointment), now=now)
    name = default_storage.save(
        f"scheduling/{appointment.code}/undangan-{appointment.sequence}-{method.lower()}.ics",
        ContentFile(content))
    return {
        "name": "undangan.ics" if method == ics.REQUEST else "pembatalan.ics",
        "path": name,
        "mimetype": f"text/calendar; method={method}",
    }


def _email(template: str, to, appointment: Appointment, *, attachments=None, **context) -> None:
    recipients = [to] if isinstance(to, str) else list(to)
    if not recipients:
        return
    registration = appointment.registration
    email_queue(template=template, to=recipients, office=registration.office,
                attachments=attachments or [],
                context={"registration": registration, "appointment": appointment,
                         "office": registration.office, **context})


def _schedule_reminders(appointment: Appointment, now: datetime) -> None:
    from .tasks import send_appointment_reminder

    for kind, before in REMINDERS.items():
        run_at = appointment.start - before
        if run_at > now:
            send_appointment_reminder.using(run_after=run_at).enqueue(
                appointment.pk, kind, appointment.sequence)


def _iso(value: datetime | None, office) -> str | None:
    """A time for the audit log, in the office's zone (as people there read it)."""
    return value.astimezone(office.tzinfo).isoformat() if value is not None else None


# ---------- The vendor proposes (B.8) ----------

def require_proposal_editable(registration: Registration) -> None:
    """Proposals change until a time is confirmed; a 403 in any other state."""
    if registration.status in PROPOSAL_STATUSES:
        return
    if registration.status == S.SCHEDULED:
        raise workflow.WorkflowError(ERR_PROPOSAL_SCHEDULED)
    raise workflow.WorkflowError(
        ERR_PROPOSAL_STATE % {"status": registration.get_status_display()})


def appointment_propose(*, registration: Registration, actor: User, starts: list[datetime],
                        request=None) -> Appointment:
    """B.8: the vendor proposes one to three free times ("tanggal yang disampaikan").

    Part of submitting, and changeable until a time is confirmed; proposing
    again after the team offered substitutes declines that offer (B.8.b). Once
    the documents are accepted, the team is told of every change.
    """
    _vendor_only(registration, actor)
    office = registration.office
    now = timezone.now()
    availability = availability_for(office)
    with transaction.atomic():
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        require_proposal_editable(current)
        slots, problems = _check_choice(office, starts, minimum=1, now=now,
                                        availability=availability)
        if problems:
            raise workflow.WorkflowError(workflow.ERR_GUARD, problems)
        appointment = _locked_appointment(current)
        declined_offer = appointment.state == AppointmentState.OFFERED
        if appointment.state == AppointmentState.CONFIRMED:
            # Confirmed but no longer scheduled: the call was held and C.8.b sent
            # the registration back; that seat is history.
            _release_seat(appointment)
        appointment.state = AppointmentState.PROPOSED
        appointment.start = appointment.end = None
        appointment.save()
        _replace_options(appointment, OptionKind.PROPOSED, slots, actor, clear_all=True)
        audit_log(action="appointment.proposed", actor=actor, office=office, obj=current,
                  request=request,
                  details={"slots": [_iso(s.start, office) for s in slots],
                           "declined_offer": declined_offer})
        if current.status == S.DOCUMENTS_ACCEPTED:  # the team's move now (B.8.c)
            _email("appointment_proposed_staff", staff_recipients(current), appointment,
                   slots=slots, declined_offer=declined_offer)
    return appointment


# ---------- The team decides (B.8.a–c) ----------

def appointment_offer(*, registration: Registration, actor: User, starts: list[datetime],
                      request=None) -> Registration:
    """B.8.b: the team offers one to three substitute times when the proposal won't do."""
    office = registration.office
    now = timezone.now()
    availability = availability_for(office)
    chosen: list[Slot] = []

    def guard(current):
        slots, problems = _check_choice(office, starts, minimum=1, now=now,
                                        availability=availability)
        chosen.extend(slots)
        return problems

    def effects(reg):
        appointment = _locked_appointment(reg)
        appointment.state = AppointmentState.OFFERED
        appointment.save()
        _replace_options(appointment, OptionKind.OFFERED, chosen, actor, clear_all=False)
        _email("appointment_offered", reg.vendor.email, appointment, slots=chosen)

    return workflow.transition(
        registration, "offer_other_date", actor=actor, request=request, guard=guard,
        effects=effects, details={"slots": [_iso(s, office) for s in starts]})


def _confirm(registration: Registration, *, actor: User, start: datetime, kind: str,
             request=None) -> Registration:
    office = registration.office
    now = timezone.now()
    availability = availability_for(office)
    start = start.astimezone(office.tzinfo)

    def guard(current):
        appointment = appointment_for(current)
        waiting = AppointmentState.PROPOSED if kind == OptionKind.PROPOSED \
            else AppointmentState.OFFERED
        if appointment is None or appointment.state != waiting:
            return [str(ERR_NOTHING_PROPOSED if kind == OptionKind.PROPOSED else ERR_NO_OFFER)]
        if start not in [o.start for o in appointment_options(appointment, kind)]:
            return [str(ERR_NOT_PROPOSED if kind == OptionKind.PROPOSED else ERR_NOT_OFFERED)]
        problem = slot_problem(office, start, now=now, availability=availability,
                               exclude_appointment=appointment)
        return [problem] if problem else []

    def effects(reg):
        appointment = _locked_appointment(reg)
        option = appointment.options.get(kind=kind, start=start)
        _release_seat(appointment)
        _book_seat(appointment, option.start, option.end, availability.capacity)
        appointment.state = AppointmentState.CONFIRMED
        appointment.start, appointment.end = option.start, option.end
        appointment.confirmed_at, appointment.confirmed_by = now, actor
        appointment.reminder_24h_sent_at = appointment.reminder_1h_sent_at = None
        appointment.save()
        appointment.options.all().delete()
        _on_confirmed(appointment)
        invite = _invite(appointment, ics.REQUEST, appointment.start, appointment.end)
        appointment.save(update_fields=["sequence", "invited_at", "updated_at"])
        _schedule_reminders(appointment, now)
        _email("appointment_confirmed", reg.vendor.email, appointment, attachments=[invite],
               cutoff_hours=availability.vendor_reschedule_cutoff_hours)
        if kind == OptionKind.OFFERED:
            _email("appointment_confirmed_staff", staff_recipients(reg), appointment,
                   attachments=[invite])

    return workflow.transition(
        registration, "confirm_schedule", actor=actor, request=request, guard=guard,
        effects=effects,
        details={"start": _iso(start, office), "accepted_offer": kind == OptionKind.OFFERED})


def appointment_confirm(*, registration: Registration, actor: User, start: datetime,
                        request=None) -> Registration:
    """B.8.a, B.8.c: a verifier or the coordinator confirms one of the vendor's proposals."""
    _staff_only(actor)
    return _confirm(registration, actor=actor, start=start, kind=OptionKind.PROPOSED,
                    request=request)


def appointment_accept_offer(*, registration: Registration, actor: User, start: datetime,
                             request=None) -> Registration:
    """B.8.b: the vendor accepts one of the substitute times the team offered."""
    _vendor_only(registration, actor)
    return _confirm(registration, actor=actor, start=start, kind=OptionKind.OFFERED,
                    request=request)


# ---------- Reschedule, no-show, cancel (C.8.b) ----------

def appointment_reschedule(*, registration: Registration, actor: User, reason: str,
                           starts: list[datetime] = (), request=None) -> Registration:
    """C.8.b: move a confirmed call; the time is released and renegotiated.

    The vendor may do so up to the office's cut-off before the call and only so
    many times; verifiers at any time. A reason is required. The old time is
    cancelled in calendars (METHOD:CANCEL); up to three new times may be given
    at once — proposals from the vendor, offers from the team.
    """
    office = registration.office
    now = timezone.now()
    availability = availability_for(office)
    reason = (reason or "").strip()
    by_vendor = actor is not None and actor.role == Role.VENDOR
    starts = list(starts)
    chosen: list[Slot] = []

    def guard(current):
        problems = [] if reason else [str(ERR_REASON)]
        appointment = appointment_for(current)
        if appointment is None or appointment.state != AppointmentState.CONFIRMED:
            return [*problems, str(ERR_NOT_CONFIRMED)]
        if by_vendor:
            problems += vendor_reschedule_blockers(appointment, availability, now=now)
        slots, slot_problems = _check_choice(office, starts, minimum=0, now=now,
                                             availability=availability)
        chosen.extend(slots)
        return problems + slot_problems

    def effects(reg):
        appointment = _locked_appointment(reg)
        previous_start, previous_end = appointment.start, appointment.end
        _release_seat(appointment)
        # The meeting stays: the next confirmed time moves it (same link, Zoom PATCH).
        cancel = _invite(appointment, ics.CANCEL, appointment.start, appointment.end)
        if by_vendor:
            appointment.vendor_reschedules += 1
        else:
            appointment.staff_reschedules += 1
        appointment.last_reason = reason
        kind = OptionKind.PROPOSED if by_vendor else OptionKind.OFFERED
        if chosen:
            appointment.state = AppointmentState.PROPOSED if by_vendor \
                else AppointmentState.OFFERED
        else:
            appointment.state = AppointmentState.NEEDS_PROPOSAL
        appointment.start = appointment.end = None
        appointment.reminder_24h_sent_at = appointment.reminder_1h_sent_at = None
        appointment.save()
        _replace_options(appointment, kind, chosen, actor, clear_all=True)
        context = {"reason": reason, "previous_start": previous_start,
                   "previous_end": previous_end, "slots": chosen, "by_vendor": by_vendor}
        _email("appointment_rescheduled", reg.vendor.email, appointment,
               attachments=[cancel], **context)
        if by_vendor:
            _email("appointment_reschedule_requested_staff", staff_recipients(reg),
                   appointment, **context)

    appointment = appointment_for(registration)
    return workflow.transition(
        registration, "reschedule", actor=actor, request=request, guard=guard,
        effects=effects,
        details={"reason": reason[:500], "by": "vendor" if by_vendor else "staff",
                 "previous_start": _iso(appointment.start if appointment else None, office),
                 "slots": [_iso(s, office) for s in starts]})


def appointment_record_no_show(*, registration: Registration, actor: User, note: str = "",
                               request=None) -> Registration:
    """The vendor did not join the call: recorded, and the registration goes back to
    scheduling (the vendor is asked to propose new times)."""
    now = timezone.now()
    note = (note or "").strip()
    appointment = appointment_for(registration)

    def guard(current):
        found = appointment_for(current)
        if found is None or found.state != AppointmentState.CONFIRMED:
            return [str(ERR_NOT_CONFIRMED)]
        if now < found.start:
            return [str(ERR_NO_SHOW_EARLY)]
        return []

    def effects(reg):
        locked = _locked_appointment(reg)
        missed_start, missed_end = locked.start, locked.end
        _release_seat(locked)
        _on_released(locked, actor)
        locked.no_shows += 1
        locked.last_reason = note
        locked.state = AppointmentState.NEEDS_PROPOSAL
        locked.start = locked.end = None
        locked.save()
        locked.options.all().delete()
        _email("appointment_no_show", reg.vendor.email, locked, missed_start=missed_start,
               missed_end=missed_end, note=note)

    return workflow.transition(
        registration, "record_no_show", actor=actor, request=request, guard=guard,
        effects=effects,
        details={"start": _iso(appointment.start if appointment else None, registration.office),
                 "note": note[:500]})


def appointment_cancel(*, registration: Registration, actor=None, reason: str = "",
                       request=None) -> bool:
    """The registration closes (withdrawn, rejected): free the seat, cancel the invite.

    Call it inside the effects of the ``withdraw`` and ``reject`` transitions.
    A confirmed call still ahead gets a METHOD:CANCEL invite to the vendor.
    Returns whether there was an appointment to cancel.
    """
    now = timezone.now()
    with transaction.atomic():
        appointment = (Appointment.objects.select_for_update()
                       .filter(registration=registration).first())
        if appointment is None or appointment.state == AppointmentState.CANCELLED:
            return False
        appointment.registration = registration
        attachments = []
        previous_start, previous_end = appointment.start, appointment.end
        if appointment.state == AppointmentState.CONFIRMED and appointment.start > now:
            attachments.append(_invite(appointment, ics.CANCEL, appointment.start,
                                       appointment.end))
        _release_seat(appointment)
        _on_released(appointment, actor)
        appointment.state = AppointmentState.CANCELLED
        appointment.start = appointment.end = None
        appointment.last_reason = (reason or "").strip()
        appointment.save()
        appointment.options.all().delete()
        audit_log(action="appointment.cancelled", actor=actor, office=registration.office,
                  obj=registration, request=request,
                  details={"previous_start": _iso(previous_start, registration.office),
                           "reason": reason[:500]})
        if attachments:
            _email("appointment_cancelled", registration.vendor.email, appointment,
                   attachments=attachments, previous_start=previous_start,
                   previous_end=previous_end, reason=appointment.last_reason)
    return True


def appointment_reopen(*, registration: Registration, actor, reason: str = "",
                       request=None) -> None:
    """C.8.b after a call that did not pass: the time is used up; the vendor proposes
    a new one (called inside the ``record_not_yet`` transition)."""
    with transaction.atomic():
        appointment = _locked_appointment(registration)
        if appointment.state != AppointmentState.CONFIRMED:
            return
        _release_seat(appointment)
        _on_released(appointment, actor)
        appointment.state = AppointmentState.NEEDS_PROPOSAL
        appointment.start = appointment.end = None
        appointment.last_reason = (reason or "").strip()[:500]
        appointment.reminder_24h_sent_at = appointment.reminder_1h_sent_at = None
        appointment.save()
        appointment.options.all().delete()


# ---------- Reminders (run by the worker) ----------

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
        _email("appointment_reminder", registration.vendor.email, appointment, kind=kind,
               countdown=countdown_text(appointment.start, appointment.end, now),
               join_url=appointment_join_url(appointment))
        audit_log(action="appointment.reminder_sent", office=registration.office,
                  obj=registration,
                  details={"kind": kind, "start": _iso(appointment.start, registration.office)})
    return "sent"


# ---------- The office's availability (coordinator) ----------

AVAILABILITY_FIELDS = [
    "hours", "slot_minutes", "capacity", "min_notice_working_days", "horizon_days",
    "vendor_reschedule_cutoff_hours", "vendor_reschedule_limit", "observe_cuti_bersama",
]


def _coordinator_only(office, actor) -> None:
    if actor is None or actor.role not in (Role.COORDINATOR, Role.ADMIN) \
            or actor.office_id != office.pk:
        raise workflow.WorkflowError(ERR_NOT_COORDINATOR)


def availability_update(*, office, actor: User, data: dict, request=None) -> Availability:
    """B.8.c: the coordinator sets when the team takes calls and how many at once.

    Changes apply to times chosen from now on; confirmed calls keep their seats.
    """
    _coordinator_only(office, actor)
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
    _coordinator_only(office, actor)
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
    _coordinator_only(closure.office, actor)
    with transaction.atomic():
        audit_log(action="scheduling.closure_removed", actor=actor, office=closure.office,
                  obj=closure, request=request,
                  details={"from": closure.start_date, "to": closure.end_date,
                           "note": closure.note})
        closure.delete()
