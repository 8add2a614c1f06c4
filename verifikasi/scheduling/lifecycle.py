"""The appointment's own lifecycle, and what scheduling adds to the registration's.

``APPOINTMENT_ACTIONS`` is the appointment's map: for every move the states it
leaves and the states it may enter. ``appointment_move`` is the only code that
changes ``Appointment.state``: a conditional UPDATE (``WHERE state IN sources``),
the audit event and the registered effects (the meetings app opens or calls
off the video meeting), inside the caller's transaction. Who may act is the
registration map's business: every move happens inside a registration action
that ``registrations.workflow`` already allowed.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from verifikasi.core.audit import audit_log
from verifikasi.registrations import workflow
from verifikasi.registrations.models import Registration
from verifikasi.registrations.models import RegistrationStatus as S
from verifikasi.registrations.panels import links
from verifikasi.registrations.retention import delete_folder, purge_with_documents

from .models import Appointment
from .models import AppointmentState as A
from .slots import format_slot

ERR_STATE = gettext_lazy("Jadwal verifikasi ini baru saja diubah. Muat ulang halaman untuk "
                         "melihat keadaan terbaru.")
ERR_CALL_NOT_STARTED = gettext_lazy(
    "Hasil video call baru dapat dicatat setelah waktu video call dimulai (%(when)s).")
ERR_NOT_CONFIRMED = gettext_lazy("Belum ada jadwal terkonfirmasi untuk pendaftaran ini.")


@dataclass
class Move:
    name: str
    sources: frozenset[str]
    targets: frozenset[str]
    audit: str  # the audit event's action
    effects: list[Callable] = field(default_factory=list)


def _m(name, sources, targets, audit) -> Move:
    return Move(name, frozenset(sources), frozenset(targets), audit)


NEGOTIATING = [A.PROPOSED, A.OFFERED, A.NEEDS_PROPOSAL]
APPOINTMENT_ACTIONS: dict[str, Move] = {m.name: m for m in [
    _m("propose", NEGOTIATING, [A.PROPOSED], "appointment.proposed"),
    _m("offer", NEGOTIATING, [A.OFFERED], "appointment.offered"),
    _m("confirm", [A.PROPOSED, A.OFFERED], [A.CONFIRMED], "appointment.confirmed"),
    _m("reschedule", [A.CONFIRMED], [A.PROPOSED, A.OFFERED, A.NEEDS_PROPOSAL],
       "appointment.rescheduled"),
    _m("record_no_show", [A.CONFIRMED], [A.NEEDS_PROPOSAL], "appointment.no_show"),
    _m("reopen", [A.CONFIRMED], [A.NEEDS_PROPOSAL], "appointment.reopened"),
    _m("hold", [A.CONFIRMED], [A.HELD], "appointment.held"),
    _m("cancel", [A.PROPOSED, A.OFFERED, A.NEEDS_PROPOSAL, A.CONFIRMED], [A.CANCELLED],
       "appointment.cancelled"),
]}

# Moves after which the confirmed time will not take place (the meeting is called off).
RELEASING = ("record_no_show", "reopen", "cancel")


def appointment_effect(*moves: str) -> Callable:
    """Register ``func(appointment, move, actor)`` to run inside ``moves``."""
    def register(func):
        for name in moves:
            if func not in APPOINTMENT_ACTIONS[name].effects:
                APPOINTMENT_ACTIONS[name].effects.append(func)
        return func
    return register


def appointment_move(appointment: Appointment, move: str, *, target: str | None = None,
                     actor=None, request=None, details: dict | None = None,
                     **fields) -> Appointment:
    """Move ``appointment`` (inside the caller's transaction); other columns in ``fields``."""
    m = APPOINTMENT_ACTIONS[move]
    if target is None and len(m.targets) == 1:
        (target,) = m.targets
    if target not in m.targets:
        raise ValueError(f"{move} cannot lead to {target}")
    with transaction.atomic():
        source = appointment.state
        if source not in m.sources:
            raise workflow.WorkflowError(ERR_STATE)
        changes = {"state": target, "updated_at": timezone.now(), **fields}
        if not Appointment.objects.filter(pk=appointment.pk, state=source).update(**changes):
            raise workflow.WorkflowError(ERR_STATE)
        for name, value in changes.items():
            setattr(appointment, name, value)
        registration = appointment.registration
        audit_log(action=m.audit, actor=actor, office=registration.office, obj=registration,
                  request=request, details={"from": source, "to": target, **(details or {})})
        for run in m.effects:
            run(appointment, move, actor)
    return appointment


def appointment_create(registration: Registration) -> Appointment:
    """The registration's one appointment, locked (created proposing, on first use)."""
    appointment, _created = Appointment.objects.select_for_update().get_or_create(
        registration=registration, defaults={"office": registration.office})
    appointment.registration = registration
    return appointment


def describe() -> list[dict]:
    return [{"action": m.name, "from": sorted(m.sources), "to": sorted(m.targets),
             "audit": m.audit,
             "effects": [f"{e.__module__.removeprefix('verifikasi.')}.{e.__name__}"
                         for e in m.effects]}
            for m in APPOINTMENT_ACTIONS.values()]


# ---------- What scheduling adds to the registration's map ----------

def call_start(registration: Registration) -> datetime | None:
    """When the confirmed call starts (None: no confirmed call)."""
    appointment = Appointment.objects.filter(registration=registration,
                                             state=A.CONFIRMED).first()
    return appointment.start if appointment else None


@workflow.condition("record_pass", "record_not_yet", "record_no_show")
def call_has_started(step: workflow.Step) -> list[str]:
    """C.4–C.8: an outcome is recorded only once the confirmed call has started."""
    start = call_start(step.registration)
    if start is None:
        return [str(ERR_NOT_CONFIRMED)]
    if timezone.now() < start:
        office = step.registration.office
        when = format_slot(start, None, office.tzinfo, office.timezone_label)
        return [str(ERR_CALL_NOT_STARTED % {"when": when})]
    return []


@links
def schedule_links(request, registration) -> list[dict]:
    """The button to the schedule screen while a date is negotiated or booked."""
    if registration.status not in (S.DOCUMENTS_ACCEPTED, S.SCHEDULED):
        return []
    return [{"url": reverse("schedule_manage", args=[registration.code]),
             "label": _("Jadwal verifikasi")}]


@purge_with_documents
def invites_purge(registration: Registration) -> None:
    """The calendar invites (.ics) name the company and the time: destroyed with the files."""
    for appointment in Appointment.objects.filter(registration=registration):
        delete_folder(f"scheduling/{appointment.code}")
