"""Scheduling services: propose, offer, confirm, reschedule, no-show, cancel (B.8, C.8.b).

Who may act, and in which state, is the registration map's business
(``registrations.workflow``). This module registers into that map the
conditions and effects that do the scheduling work inside each transition: the
appointment moves through its own map (``lifecycle.appointment_move``), and its
seat, the calendar invite, the reminders and the emails change in that same
transaction, so a refused or failed step leaves nothing behind. Capacity is
enforced by ``SlotBooking``'s constraints.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from verifikasi.accounts.models import Role, User
from verifikasi.registrations import workflow
from verifikasi.registrations.models import Registration
from verifikasi.registrations.models import RegistrationStatus as S

from . import ics
from .invites import appointment_email, invite_store, iso
from .lifecycle import appointment_create, appointment_move
from .models import Appointment, AppointmentOption, AppointmentState, OptionKind
from .reminders import appointment_schedule_reminders
from .seats import seat_book, seat_release
from .selectors import (
    MAX_OPTIONS,
    appointment_for,
    appointment_options,
    availability_for,
    free_slots,
    proposal_problems,
    slot_problem,
    staff_recipients,
    vendor_reschedule_blockers,
)
from .slots import Slot, format_slot, slot_key

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


# ---------- Helpers ----------

def _check_choice(office, starts: list[datetime], *, minimum: int, now: datetime,
                  availability) -> tuple[list[Slot], list[str]]:
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


def _replace_options(appointment: Appointment, kind: str, slots: list[Slot], actor, *,
                     clear_all: bool) -> None:
    old = appointment.options.all() if clear_all else appointment.options.filter(kind=kind)
    old.delete()
    AppointmentOption.objects.bulk_create([
        AppointmentOption(appointment=appointment, kind=kind, start=s.start, end=s.end,
                          created_by=actor)
        for s in slots
    ])


def _choose(step: workflow.Step, *, minimum: int) -> list[str]:
    """Check the times in ``step.data["starts"]``; the free ones go to ``data["slots"]``."""
    office = step.registration.office
    step.data.setdefault("now", timezone.now())
    step.data.setdefault("availability", availability_for(office))
    slots, problems = _check_choice(office, list(step.data.get("starts", [])),
                                    minimum=minimum, now=step.data["now"],
                                    availability=step.data["availability"])
    step.data["slots"] = slots
    return problems


# ---------- The vendor proposes (B.8) ----------

@workflow.condition("submit")
def dates_proposed(step: workflow.Step) -> list[str]:
    """B.8: at least one proposed time still ahead."""
    return proposal_problems(step.registration)


def appointment_propose(*, registration: Registration, actor: User, starts: list[datetime],
                        request=None) -> Appointment:
    """B.8: the vendor proposes one to three free times ("tanggal yang disampaikan").

    Part of submitting, and changeable until a time is confirmed; proposing
    again after the team offered substitutes declines that offer (B.8.b). Once
    the documents are accepted, the team is told of every change.
    """
    workflow.require("propose_dates", registration, actor)
    office = registration.office
    now = timezone.now()
    availability = availability_for(office)
    with transaction.atomic():
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        workflow.require("propose_dates", current, actor)
        slots, problems = _check_choice(office, starts, minimum=1, now=now,
                                        availability=availability)
        if problems:
            raise workflow.WorkflowError(workflow.ERR_GUARD, problems)
        appointment = appointment_create(current)
        declined_offer = appointment.state == AppointmentState.OFFERED
        appointment_move(appointment, "propose", actor=actor, request=request,
                         start=None, end=None,
                         details={"slots": [iso(s.start, office) for s in slots],
                                  "declined_offer": declined_offer})
        _replace_options(appointment, OptionKind.PROPOSED, slots, actor, clear_all=True)
        if current.status == S.DOCUMENTS_ACCEPTED:  # the team's move now (B.8.c)
            appointment_email("appointment_proposed_staff", staff_recipients(current),
                              appointment, slots=slots, declined_offer=declined_offer)
    return appointment


# ---------- The team offers other times (B.8.b) ----------

@workflow.condition("offer_other_date")
def offered_times_free(step: workflow.Step) -> list[str]:
    """B.8.b: one to three substitute times, each a free slot."""
    return _choose(step, minimum=1)


@workflow.effect("offer_other_date")
def appointment_offered(step: workflow.Step) -> None:
    """The substitutes replace earlier offers; the vendor is emailed them."""
    reg, slots = step.registration, step.data["slots"]
    appointment = appointment_create(reg)
    if appointment.state != AppointmentState.OFFERED:
        appointment_move(appointment, "offer", actor=step.actor, request=step.request)
    _replace_options(appointment, OptionKind.OFFERED, slots, step.actor, clear_all=False)
    appointment_email("appointment_offered", reg.vendor.email, appointment, slots=slots)


def appointment_offer(*, registration: Registration, actor: User, starts: list[datetime],
                      request=None) -> Registration:
    """B.8.b: the team offers one to three substitute times when the proposal won't do."""
    return workflow.transition(
        registration, "offer_other_date", actor=actor, request=request,
        data={"starts": list(starts)},
        details={"slots": [iso(s, registration.office) for s in starts]})


# ---------- Confirming a time (B.8.a, B.8.c) ----------

_KIND = {"confirm_schedule": OptionKind.PROPOSED, "accept_offer": OptionKind.OFFERED}


@workflow.condition("confirm_schedule", "accept_offer")
def chosen_time_open(step: workflow.Step) -> list[str]:
    """The time is one of the waiting proposals (staff) or offers (vendor), still free."""
    kind = _KIND[step.action]
    reg, start = step.registration, step.data["start"]
    office = reg.office
    availability = step.data.setdefault("availability", availability_for(office))
    appointment = appointment_for(reg)
    waiting = AppointmentState.PROPOSED if kind == OptionKind.PROPOSED \
        else AppointmentState.OFFERED
    if appointment is None or appointment.state != waiting:
        return [str(ERR_NOTHING_PROPOSED if kind == OptionKind.PROPOSED else ERR_NO_OFFER)]
    if start not in [o.start for o in appointment_options(appointment, kind)]:
        return [str(ERR_NOT_PROPOSED if kind == OptionKind.PROPOSED else ERR_NOT_OFFERED)]
    problem = slot_problem(office, start, now=timezone.now(), availability=availability,
                           exclude_appointment=appointment)
    return [problem] if problem else []


@workflow.effect("confirm_schedule", "accept_offer")
def appointment_confirmed(step: workflow.Step) -> None:
    """A seat is booked, the meeting opened, the invite (.ics) and reminders sent."""
    kind, reg, actor = _KIND[step.action], step.registration, step.actor
    availability, now = step.data["availability"], timezone.now()
    appointment = appointment_create(reg)
    option = appointment.options.get(kind=kind, start=step.data["start"])
    seat_release(appointment)
    seat_book(appointment, option.start, option.end, availability.capacity)
    appointment_move(appointment, "confirm", actor=actor, request=step.request,
                     start=option.start, end=option.end, confirmed_at=now,
                     confirmed_by=actor, reminder_24h_sent_at=None, reminder_1h_sent_at=None)
    appointment.options.all().delete()
    invite = invite_store(appointment, ics.REQUEST, appointment.start, appointment.end)
    appointment.save(update_fields=["sequence", "invited_at", "updated_at"])
    appointment_schedule_reminders(appointment, now)
    appointment_email("appointment_confirmed", reg.vendor.email, appointment,
                      attachments=[invite],
                      cutoff_hours=availability.vendor_reschedule_cutoff_hours)
    if kind == OptionKind.OFFERED:
        appointment_email("appointment_confirmed_staff", staff_recipients(reg), appointment,
                          attachments=[invite])


def _confirm(action: str, *, registration: Registration, actor: User, start: datetime,
             request=None) -> Registration:
    start = start.astimezone(registration.office.tzinfo)
    return workflow.transition(
        registration, action, actor=actor, request=request, data={"start": start},
        details={"start": iso(start, registration.office),
                 "accepted_offer": action == "accept_offer"})


def appointment_confirm(*, registration: Registration, actor: User, start: datetime,
                        request=None) -> Registration:
    """B.8.a, B.8.c: a verifier or the coordinator confirms one of the vendor's proposals."""
    return _confirm("confirm_schedule", registration=registration, actor=actor, start=start,
                    request=request)


def appointment_accept_offer(*, registration: Registration, actor: User, start: datetime,
                             request=None) -> Registration:
    """B.8.b: the vendor accepts one of the substitute times the team offered."""
    return _confirm("accept_offer", registration=registration, actor=actor, start=start,
                    request=request)


# ---------- Reschedule (C.8.b) ----------

@workflow.condition("reschedule")
def reschedule_allowed(step: workflow.Step) -> list[str]:
    """A reason; a confirmed time; the vendor before the cut-off and within the limit."""
    reg = step.registration
    problems = [] if step.data.get("reason") else [str(ERR_REASON)]
    appointment = appointment_for(reg)
    if appointment is None or appointment.state != AppointmentState.CONFIRMED:
        return [*problems, str(ERR_NOT_CONFIRMED)]
    slot_problems = _choose(step, minimum=0)
    if step.actor is not None and step.actor.role == Role.VENDOR:
        problems += vendor_reschedule_blockers(appointment, step.data["availability"],
                                               now=step.data["now"])
    return problems + slot_problems


@workflow.effect("reschedule")
def appointment_rescheduled(step: workflow.Step) -> None:
    """The time is released and cancelled in calendars; new times may be put forward.

    The meeting stays: the next confirmed time moves it (same link, Zoom PATCH).
    """
    reg, actor, chosen = step.registration, step.actor, step.data["slots"]
    by_vendor = actor is not None and actor.role == Role.VENDOR
    appointment = appointment_create(reg)
    previous_start, previous_end = appointment.start, appointment.end
    seat_release(appointment)
    cancel = invite_store(appointment, ics.CANCEL, appointment.start, appointment.end)
    if chosen:
        target = AppointmentState.PROPOSED if by_vendor else AppointmentState.OFFERED
    else:
        target = AppointmentState.NEEDS_PROPOSAL
    counter = "vendor_reschedules" if by_vendor else "staff_reschedules"
    appointment_move(appointment, "reschedule", target=target, actor=actor,
                     request=step.request, start=None, end=None,
                     last_reason=step.data["reason"], sequence=appointment.sequence,
                     invited_at=appointment.invited_at,
                     reminder_24h_sent_at=None, reminder_1h_sent_at=None,
                     **{counter: getattr(appointment, counter) + 1})
    kind = OptionKind.PROPOSED if by_vendor else OptionKind.OFFERED
    _replace_options(appointment, kind, chosen, actor, clear_all=True)
    context = {"reason": step.data["reason"], "previous_start": previous_start,
               "previous_end": previous_end, "slots": chosen, "by_vendor": by_vendor}
    appointment_email("appointment_rescheduled", reg.vendor.email, appointment,
                      attachments=[cancel], **context)
    if by_vendor:
        appointment_email("appointment_reschedule_requested_staff", staff_recipients(reg),
                          appointment, **context)


def appointment_reschedule(*, registration: Registration, actor: User, reason: str,
                           starts: list[datetime] = (), request=None) -> Registration:
    """C.8.b: move a confirmed call; the time is released and renegotiated.

    The vendor may do so up to the office's cut-off before the call and only so
    many times; verifiers at any time. A reason is required. The old time is
    cancelled in calendars (METHOD:CANCEL); up to three new times may be given
    at once — proposals from the vendor, offers from the team.
    """
    reason = (reason or "").strip()
    appointment = appointment_for(registration)
    by_vendor = actor is not None and actor.role == Role.VENDOR
    office = registration.office
    return workflow.transition(
        registration, "reschedule", actor=actor, request=request,
        data={"reason": reason, "starts": list(starts)},
        details={"reason": reason[:500], "by": "vendor" if by_vendor else "staff",
                 "previous_start": iso(appointment.start if appointment else None, office),
                 "slots": [iso(s, office) for s in starts]})
