"""The registration state machine: the only code that changes Registration.status.

A table of transitions (DESIGN: the registration lifecycle) and one function,
``transition``, that checks role, office, ownership and state, runs the guard,
changes the status with a conditional UPDATE (so two people clicking at once
cannot both win), writes the audit event and runs the transition's effects
(queueing emails) — all in one database transaction.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verifikasi.accounts.models import Role
from verifikasi.core.audit import audit_log

from .models import OPEN_STATUSES, Registration
from .models import RegistrationStatus as S

SYSTEM = "system"
STAFF = frozenset({Role.VERIFIER, Role.COORDINATOR})


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    targets: frozenset[str]  # the first listed is the default
    default_target: str
    roles: frozenset[str]
    spec: str


def _t(action, sources, target, roles, spec, *, other_targets=()):
    return Transition(action, frozenset(sources), frozenset((target, *other_targets)), target,
                      frozenset(roles), spec)


TRANSITIONS: dict[str, Transition] = {t.action: t for t in [
    _t("submit", [S.DRAFT], S.SUBMITTED, [Role.VENDOR], "B.6–B.8"),
    _t("request_revision", [S.SUBMITTED], S.REVISION_REQUESTED, STAFF, "C.3"),
    _t("resubmit", [S.REVISION_REQUESTED], S.SUBMITTED, [Role.VENDOR], "C.3"),
    _t("accept_documents", [S.SUBMITTED], S.DOCUMENTS_ACCEPTED, STAFF, "C.3"),
    _t("offer_other_date", [S.DOCUMENTS_ACCEPTED], S.DOCUMENTS_ACCEPTED, STAFF, "B.8.b"),
    _t("confirm_schedule", [S.DOCUMENTS_ACCEPTED], S.SCHEDULED, {*STAFF, Role.VENDOR},
       "B.8.a, B.8.c"),
    _t("reschedule", [S.SCHEDULED], S.DOCUMENTS_ACCEPTED, {*STAFF, Role.VENDOR}, "C.8.b"),
    _t("record_no_show", [S.SCHEDULED], S.DOCUMENTS_ACCEPTED, STAFF, "C.8.b"),
    _t("record_not_yet", [S.SCHEDULED], S.REVISION_REQUESTED, STAFF, "C.8.a, C.8.b",
       other_targets=[S.DOCUMENTS_ACCEPTED]),
    _t("record_pass", [S.SCHEDULED], S.VERIFIED, STAFF, "C.6"),
    _t("issue_certificate", [S.VERIFIED], S.CERTIFICATE_SENT, [SYSTEM, *STAFF], "C.6.a, C.6.b"),
    _t("confirm_receipt", [S.CERTIFICATE_SENT], S.COMPLETED, [Role.VENDOR, Role.COORDINATOR],
       "C.7, C.9, C.10"),
    _t("withdraw", OPEN_STATUSES, S.WITHDRAWN, [Role.VENDOR], "—"),
    _t("reject", OPEN_STATUSES, S.REJECTED, STAFF, "—"),
]}


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


def can(registration: Registration, action: str, actor) -> bool:
    """Whether ``actor`` may do ``action`` now (for showing or hiding buttons)."""
    try:
        _check(registration, TRANSITIONS[action], actor)
    except WorkflowError:
        return False
    return True


def _role(actor) -> str:
    return SYSTEM if actor is None else actor.role


def _check(registration: Registration, t: Transition, actor) -> None:
    role = _role(actor)
    if role not in t.roles:
        raise WorkflowError(ERR_WRONG_ROLE)
    if role == Role.VENDOR and registration.vendor_id != actor.pk:
        raise WorkflowError(ERR_WRONG_ROLE)
    if role in STAFF and registration.office_id != actor.office_id:
        raise WorkflowError(ERR_WRONG_ROLE)
    if registration.status not in t.sources:
        raise WorkflowError(ERR_WRONG_STATE % {"status": registration.get_status_display()})


def transition(
    registration: Registration,
    action: str,
    *,
    actor,
    request=None,
    target: str | None = None,
    guard: Callable[[Registration], list[str]] | None = None,
    effects: Callable[[Registration], None] | None = None,
    fields: dict | None = None,
    details: dict | None = None,
) -> Registration:
    """Move ``registration`` through ``action``; everything or nothing.

    ``guard`` returns the list of what is still missing (empty: go ahead);
    ``fields`` are other columns set in the same UPDATE (e.g. submitted_at);
    ``effects`` run after the change inside the transaction (queue emails).
    """
    t = TRANSITIONS[action]
    target = target or t.default_target
    if target not in t.targets:
        raise ValueError(f"{action} cannot lead to {target}")
    _check(registration, t, actor)
    with transaction.atomic():
        # Re-read under lock so the guard sees what the UPDATE will change.
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status != registration.status:
            raise WorkflowError(ERR_RACE)
        if guard is not None:
            problems = guard(current)
            if problems:
                raise WorkflowError(ERR_GUARD, problems)
        now = timezone.now()
        source = current.status
        changes = {"status": target, "status_changed_at": now, **(fields or {})}
        updated = Registration.objects.filter(pk=current.pk, status=source).update(**changes)
        if not updated:
            raise WorkflowError(ERR_RACE)
        for name, value in changes.items():
            setattr(registration, name, value)
        audit_log(
            action=f"registration.{action}", actor=actor, office=registration.office,
            obj=registration, request=request,
            details={"from": source, "to": target, **(details or {})},
        )
        if effects is not None:
            effects(registration)
    return registration
