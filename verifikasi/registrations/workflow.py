"""The registration lifecycle: one map, and the only code that changes Registration.status.

``ACTIONS`` is the whole procedure in one table (DESIGN: the registration
lifecycle). For every action it says which states it leaves and enters, who may
do it (role; the vendor who owns it; staff of its office; the assigned verifier),
and which conditions and effects hold. Conditions ("the call has started") and
effects ("cancel the booked call", "revoke the certificate") are *registered*
into the map by the app that owns them (in its ``AppConfig.ready``), so this
module never imports a higher layer.

Three functions answer every question about it:

- ``require(action, registration, user)`` raises ``WorkflowError`` (an
  Indonesian 403) unless the user may do the action now; views call it before
  reading a form, services call it before changing anything.
- ``problems(action, registration, user)`` lists what is still missing
  (the registered conditions), for showing it on a page.
- ``transition(registration, action, actor=…)`` checks all of that again on the
  locked row, changes the status with a conditional UPDATE (two people clicking
  at once cannot both win), writes the audit event and runs the effects — all
  in one database transaction.

Actions whose target is ``None`` do not change the status (reviewing one
document, recording the SPSE approval, …); they are in the map for their guard.
``manage.py lifecycle`` prints the table.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verifikasi.accounts.models import Role
from verifikasi.core.audit import audit_log

from .models import OPEN_STATUSES, Registration
from .models import RegistrationStatus as S

SYSTEM = "system"
VENDOR = Role.VENDOR
STAFF = frozenset({Role.VERIFIER, Role.COORDINATOR})
HEAD = Role.COORDINATOR  # the office's head of the verifier team (Ketua Tim Verifikator)


class WorkflowError(PermissionDenied):
    """Acting in the wrong state or role: a 403 with a clear message, by construction."""

    def __init__(self, message, problems: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []

    def __str__(self):
        return str(self.message)


ERR_WRONG_ROLE = _("Anda tidak berwenang melakukan tindakan ini pada pendaftaran ini.")
ERR_WRONG_STATE = _("Tindakan ini tidak dapat dilakukan karena status pendaftaran saat ini "
                    "adalah “%(status)s”.")
ERR_RACE = _("Pendaftaran ini baru saja diubah oleh orang lain. Muat ulang halaman untuk "
             "melihat keadaan terbaru.")
ERR_GUARD = _("Belum dapat dilanjutkan. Lengkapi hal berikut terlebih dahulu:")
ERR_NOT_ASSIGNED = _(
    "Pendaftaran ini ditangani verifikator lain. Minta ketua tim untuk mengalihkannya.")


@dataclass
class Step:
    """One run of an action, as conditions and effects see it.

    ``registration`` is the caller's object (updated in place); ``data`` carries
    what the caller chose (times, reasons, …) and what conditions computed for
    the effects (``data`` is shared, so a condition may leave a result there).
    """

    action: str
    registration: Registration
    actor: object
    request: object = None
    source: str = ""
    target: str | None = None
    data: dict = field(default_factory=dict)


Condition = Callable[[Step], list[str]]
Effect = Callable[[Step], None]


@dataclass
class Action:
    name: str
    sources: frozenset[str]
    target: str | None  # None: the status stays (an action inside a state)
    roles: frozenset[str]
    spec: str
    assigned: bool = False  # staff: the assigned verifier (or the head), when assigned
    other_targets: frozenset[str] = frozenset()
    refusals: dict = field(default_factory=dict)  # state → a more precise 403 message
    conditions: list[Condition] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)

    @property
    def targets(self) -> frozenset[str]:
        return frozenset({self.target, *self.other_targets}) if self.target else frozenset()


def _a(name, sources, target, roles, spec, **kw) -> Action:
    return Action(name, frozenset(sources), target, frozenset(roles), spec,
                  other_targets=frozenset(kw.pop("other_targets", ())), **kw)


# Vendors may still change their proposed times in these states (B.8).
PROPOSAL_STATES = [S.DRAFT, S.SUBMITTED, S.REVISION_REQUESTED, S.DOCUMENTS_ACCEPTED]
CERTIFIED_STATES = [S.CERTIFICATE_SENT, S.COMPLETED]
# The video call is booked and not yet held: its invitation is what the vendor needs (C.4).
CALL_BOOKED_STATES = [S.SCHEDULED]
# Before a call is booked a correction goes back to the vendor's form as a revision (C.3);
# later the data is checked on the call or fixed by a new verification, never silently.
CORRECTABLE_STATES = [S.SUBMITTED, S.REVISION_REQUESTED, S.DOCUMENTS_ACCEPTED]

ERR_NOT_EDITABLE = _("Data tidak dapat diubah lagi karena pendaftaran sudah diajukan.")
ERR_PROPOSAL_SCHEDULED = _(
    "Jadwal verifikasi sudah dikonfirmasi; usulan tidak dapat diubah lagi. Gunakan "
    "“Ubah jadwal” bila berhalangan.")
ERR_WITHDRAW_CERTIFIED = _(
    "Pendaftaran yang tanda lulusnya sudah terbit tidak dapat dibatalkan. Hubungi tim "
    "verifikator bila ada yang salah.")

ACTIONS: dict[str, Action] = {a.name: a for a in [
    # --- B: the vendor registers -------------------------------------------------------
    _a("update_company", [S.DRAFT, S.REVISION_REQUESTED], None, [VENDOR], "B.2, B.7, C.3",
       refusals={s: ERR_NOT_EDITABLE for s in S.values}),
    _a("give_consent", [S.DRAFT], None, [VENDOR], "UU PDP Pasal 20–22",
       refusals={s: ERR_NOT_EDITABLE for s in S.values}),
    _a("upload_document", [S.DRAFT, S.REVISION_REQUESTED], None, [VENDOR], "B.4–B.7, C.3",
       refusals={s: ERR_NOT_EDITABLE for s in S.values}),
    _a("propose_dates", PROPOSAL_STATES, None, [VENDOR], "B.8",
       refusals={S.SCHEDULED: ERR_PROPOSAL_SCHEDULED}),
    _a("submit", [S.DRAFT], S.SUBMITTED, [VENDOR], "B.6–B.8"),
    # --- C.3: the review ---------------------------------------------------------------
    _a("take", OPEN_STATUSES, None, STAFF, "C.3"),
    _a("assign", OPEN_STATUSES, None, [HEAD], "C.3"),
    _a("review_document", [S.SUBMITTED], None, STAFF, "C.3", assigned=True),
    _a("request_revision", [S.SUBMITTED], S.REVISION_REQUESTED, STAFF, "C.3", assigned=True),
    _a("resubmit", [S.REVISION_REQUESTED], S.SUBMITTED, [VENDOR], "C.3"),
    _a("accept_documents", [S.SUBMITTED], S.DOCUMENTS_ACCEPTED, STAFF, "C.3", assigned=True),
    # --- B.8, C.8.b: the date ----------------------------------------------------------
    _a("offer_other_date", [S.DOCUMENTS_ACCEPTED], S.DOCUMENTS_ACCEPTED, STAFF, "B.8.b"),
    _a("confirm_schedule", [S.DOCUMENTS_ACCEPTED], S.SCHEDULED, STAFF, "B.8.a, B.8.c"),
    _a("accept_offer", [S.DOCUMENTS_ACCEPTED], S.SCHEDULED, [VENDOR], "B.8.b"),
    _a("reschedule", [S.SCHEDULED], S.DOCUMENTS_ACCEPTED, {*STAFF, VENDOR}, "C.8.b"),
    # --- C.4–C.8: the call -------------------------------------------------------------
    _a("record_no_show", CALL_BOOKED_STATES, S.DOCUMENTS_ACCEPTED, STAFF, "C.8.b",
       assigned=True),
    _a("record_not_yet", CALL_BOOKED_STATES, S.REVISION_REQUESTED, STAFF, "C.8.a, C.8.b",
       assigned=True, other_targets=[S.DOCUMENTS_ACCEPTED]),
    _a("record_pass", CALL_BOOKED_STATES, S.VERIFIED, STAFF, "C.6", assigned=True),
    # --- C.6–C.10: the outcome ---------------------------------------------------------
    _a("record_spse_approval", [S.VERIFIED], None, STAFF, "C.6.a", assigned=True),
    _a("countersign", [S.VERIFIED], None, [HEAD], "C.6.a"),
    _a("issue_certificate", [S.VERIFIED], S.CERTIFICATE_SENT, [SYSTEM, *STAFF], "C.6.b"),
    _a("reissue_certificate", CERTIFIED_STATES, None, [HEAD], "C.6.b"),
    _a("revoke_certificate", CERTIFIED_STATES, None, [HEAD, Role.ADMIN], "—"),
    _a("confirm_receipt", [S.CERTIFICATE_SENT], S.COMPLETED, [VENDOR, HEAD], "C.7, C.9, C.10"),
    # --- closing early -----------------------------------------------------------------
    _a("withdraw", [s for s in OPEN_STATUSES if s != S.CERTIFICATE_SENT], S.WITHDRAWN,
       [VENDOR], "—", refusals={S.CERTIFICATE_SENT: ERR_WITHDRAW_CERTIFIED}),
    _a("reject", OPEN_STATUSES, S.REJECTED, STAFF, "—", assigned=True),
    # --- UU PDP Pasal 6: an accepted correction request reopens the company data -------
    _a("reopen_for_correction", CORRECTABLE_STATES, S.REVISION_REQUESTED, STAFF,
       "UU PDP Pasal 6"),
    # --- issue 20: the deficiency deadline (registrations/deadlines.py) ----------------
    _a("extend_deadline", [S.REVISION_REQUESTED], None, STAFF, "—", assigned=True),
    _a("lapse", [S.REVISION_REQUESTED], S.LAPSED, [SYSTEM], "—"),
]}

ERR_NOT_COORDINATOR = _(
    "Ketersediaan jadwal hanya dapat diubah oleh Ketua Tim Verifikator kantor ini.")
ERR_NOT_OFFICE_STAFF = _("Permintaan data hanya ditangani oleh staf kantor LPSE yang dituju.")
ERR_NOT_REPORT_READER = _(
    "Laporan kantor hanya untuk Ketua Tim Verifikator dan Admin LPSE kantor ini.")
ERR_NOT_HEAD_REPORT = _("Laporan per verifikator hanya untuk Ketua Tim Verifikator kantor ini.")
ERR_NOT_OFFICE_ADMIN = _("Standar pelayanan hanya dapat diubah oleh Admin LPSE kantor ini.")
ERR_NOT_HEAD_OR_ADMIN = _(
    "Laporan survei kepuasan hanya untuk Ketua Tim Verifikator dan Admin LPSE kantor ini.")
ERR_NOT_MESSAGES_ADMIN = _("Teks email hanya dapat diubah oleh Admin LPSE kantor ini.")


@dataclass(frozen=True)
class OfficeAction:
    """An action on the office itself rather than on one registration."""

    name: str
    roles: frozenset[str]
    spec: str
    refusal: object = ERR_WRONG_ROLE


OFFICE_ACTIONS: dict[str, OfficeAction] = {a.name: a for a in [
    OfficeAction("set_availability", frozenset({HEAD, Role.ADMIN}), "B.8.c",
                 ERR_NOT_COORDINATOR),
    # A data subject's request (UU PDP Pasal 5–14): the office's team or its admin answers.
    OfficeAction("answer_data_request", frozenset({*STAFF, Role.ADMIN}), "UU PDP Pasal 14",
                 ERR_NOT_OFFICE_STAFF),
    # The office's reports (issue 19): the head answers for the office's figures; the
    # admin keeps them. How each verifier did is for the head of the team alone.
    OfficeAction("view_reports", frozenset({HEAD, Role.ADMIN}), "issue 19",
                 ERR_NOT_REPORT_READER),
    OfficeAction("view_verifier_report", frozenset({HEAD}), "issue 19",
                 ERR_NOT_HEAD_REPORT),
    # The published Standar Pelayanan (PermenPANRB 15/2014) is the office admin's text.
    OfficeAction("edit_service_standard", frozenset({Role.ADMIN}), "PermenPANRB 15/2014",
                 ERR_NOT_OFFICE_ADMIN),
    # The SKM report (PermenPANRB 14/2017): the head of the team and the office admin.
    OfficeAction("view_survey_report", frozenset({HEAD, Role.ADMIN}), "PermenPANRB 14/2017",
                 ERR_NOT_HEAD_OR_ADMIN),
    # The office's own email texts (Teks email): its admin, as with the rest of its settings.
    OfficeAction("edit_messages", frozenset({Role.ADMIN}), "—", ERR_NOT_MESSAGES_ADMIN),
]}

# Kept for callers that only need the status-changing part of the map.
TRANSITIONS = {name: a for name, a in ACTIONS.items() if a.target is not None}


# ---------- Registering conditions and effects (from each app's ready()) ----------

def condition(*actions: str) -> Callable[[Condition], Condition]:
    """Register ``func(step) -> [problems]`` as a condition of ``actions``."""
    def register(func: Condition) -> Condition:
        for name in actions:
            if func not in ACTIONS[name].conditions:
                ACTIONS[name].conditions.append(func)
        return func
    return register


def effect(*actions: str) -> Callable[[Effect], Effect]:
    """Register ``func(step)`` to run inside the transaction of ``actions``."""
    def register(func: Effect) -> Effect:
        for name in actions:
            if func not in ACTIONS[name].effects:
                ACTIONS[name].effects.append(func)
        return func
    return register


# ---------- Asking the map ----------

def _role(actor) -> str:
    return SYSTEM if actor is None else getattr(actor, "role", "")


def _who_and_state(registration: Registration, a: Action, actor) -> None:
    role = _role(actor)
    if role not in a.roles:
        raise WorkflowError(ERR_WRONG_ROLE)
    if role == VENDOR and registration.vendor_id != actor.pk:
        raise WorkflowError(ERR_WRONG_ROLE)
    if role in STAFF | {Role.ADMIN} and registration.office_id != actor.office_id:
        raise WorkflowError(ERR_WRONG_ROLE)
    if registration.status not in a.sources:
        message = a.refusals.get(registration.status) or (
            ERR_WRONG_STATE % {"status": registration.get_status_display()})
        raise WorkflowError(message)
    if a.assigned and role in STAFF and role != HEAD and \
            registration.assigned_to_id not in (None, actor.pk):
        raise WorkflowError(ERR_NOT_ASSIGNED)


def require(action: str, registration: Registration, actor) -> None:
    """Refuse (403, Indonesian) unless ``actor`` may do ``action`` in the current state."""
    _who_and_state(registration, ACTIONS[action], actor)


def require_office(action: str, office, actor) -> None:
    """Refuse (403) unless ``actor`` is staff of ``office`` with a role allowed ``action``."""
    a = OFFICE_ACTIONS[action]
    if _role(actor) not in a.roles or getattr(actor, "office_id", None) != office.pk:
        raise WorkflowError(a.refusal)


def can_office(action: str, office, actor) -> bool:
    try:
        require_office(action, office, actor)
    except WorkflowError:
        return False
    return True


def can(registration: Registration, action: str, actor) -> bool:
    """Whether ``actor`` may do ``action`` now (for showing or hiding controls)."""
    try:
        require(action, registration, actor)
    except WorkflowError:
        return False
    return True


def _conditions(step: Step) -> list[str]:
    found = []
    for check in ACTIONS[step.action].conditions:
        found += [str(p) for p in check(step)]
    return found


def problems(action: str, registration: Registration, actor, **data) -> list[str]:
    """What the registered conditions still miss (empty: ``action`` may go ahead)."""
    a = ACTIONS[action]
    return _conditions(Step(action, registration, actor, None, registration.status,
                            a.target, dict(data)))


# ---------- Acting ----------

def attempt(service: Callable, **kwargs) -> list[str]:
    """Run ``service(**kwargs)`` for a view: what the person must still fix (a condition
    not met, a ValidationError) comes back as a list of sentences (empty: done). A refusal
    without such a list (wrong role or state) stays a 403."""
    try:
        service(**kwargs)
    except WorkflowError as e:
        if not e.problems:
            raise
        return [str(p) for p in e.problems]
    except ValidationError as e:
        return list(e.messages)
    return []


def transition(
    registration: Registration,
    action: str,
    *,
    actor,
    request=None,
    target: str | None = None,
    fields: dict | None = None,
    details: dict | None = None,
    data: dict | None = None,
) -> Registration:
    """Move ``registration`` through ``action``; everything or nothing.

    ``fields`` are other columns set in the same UPDATE (e.g. submitted_at);
    ``data`` is handed to the registered conditions and effects; ``details``
    go into the audit event.
    """
    a = TRANSITIONS[action]
    target = target or a.target
    if target not in a.targets:
        raise ValueError(f"{action} cannot lead to {target}")
    _who_and_state(registration, a, actor)
    with transaction.atomic():
        # Re-read under lock so the conditions see what the UPDATE will change.
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status != registration.status:
            raise WorkflowError(ERR_RACE)
        _who_and_state(current, a, actor)
        step = Step(action, current, actor, request, current.status, target, dict(data or {}))
        missing = _conditions(step)
        if missing:
            raise WorkflowError(ERR_GUARD, missing)
        now = timezone.now()
        source = current.status
        changes = {"status": target, "status_changed_at": now, **(fields or {})}
        updated = Registration.objects.filter(pk=current.pk, status=source).update(**changes)
        if not updated:
            raise WorkflowError(ERR_RACE)
        for name, value in changes.items():
            setattr(registration, name, value)
        step.registration = registration
        audit_log(
            action=f"registration.{action}", actor=actor, office=registration.office,
            obj=registration, request=request,
            details={"from": source, "to": target, **(details or {})},
        )
        for run in a.effects:
            run(step)
    return registration


# ---------- Describing the map (manage.py lifecycle, docs) ----------

def _name(func) -> str:
    doc = (func.__doc__ or "").strip().splitlines()
    return f"{func.__module__.removeprefix('verifikasi.')}.{func.__name__}" + (
        f" — {doc[0]}" if doc else "")


def describe(actions: Iterable[Action] | None = None) -> list[dict]:
    """The map as rows: action, from, to, who, spec, conditions, effects."""
    rows = []
    for a in actions or ACTIONS.values():
        who = sorted(a.roles)
        if a.assigned:
            who.append("(assigned verifier or head)")
        rows.append({
            "action": a.name,
            "from": sorted(a.sources),
            "to": sorted(a.targets) if a.target else ["(status stays)"],
            "who": who,
            "spec": a.spec,
            "conditions": [_name(c) for c in a.conditions],
            "effects": [_name(e) for e in a.effects],
        })
    return rows
