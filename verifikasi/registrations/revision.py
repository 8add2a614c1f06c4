"""The vendor's side of a revision (C.3 "mengisi kembali formulir"): what was flagged,
what must be replaced, and sending it back to the same verifier."""

from django.utils import timezone
from django.utils.translation import gettext as _

from verifikasi.accounts.models import User
from verifikasi.notifications.services import email_queue

from . import workflow
from .models import (
    Decision,
    DocumentCheck,
    DocumentReview,
    DocumentType,
    FieldFlag,
    Registration,
    RegistrationStatus,
)
from .review import Deficiency, deficiencies
from .selectors import ChecklistItem, registration_checklist


def flagged_document_type_ids(registration: Registration) -> set[int]:
    """Document types the vendor must re-upload in the current revision."""
    if registration.status != RegistrationStatus.REVISION_REQUESTED:
        return set()
    return set(DocumentReview.objects.filter(
        registration=registration, round=registration.review_round,
        decision=Decision.NEEDS_FIX).values_list("document_type_id", flat=True))


def flagged_fields(registration: Registration) -> dict[str, FieldFlag]:
    if registration.status != RegistrationStatus.REVISION_REQUESTED:
        return {}
    return {f.field: f for f in FieldFlag.objects.filter(
        registration=registration, round=registration.review_round)}


def revision_deficiencies(registration: Registration,
                          checklist: list[ChecklistItem] | None = None) -> list[Deficiency]:
    """C.3 "mengisi kembali formulir", as the vendor sees it on the home, documents and
    resubmit pages: each flagged document and field with the verifier's reasons, and
    whether it was fixed. A document counts as replaced once a newer upload was accepted
    ("checking" while the new one is being checked); a field once its value differs from
    what the verifier saw. Empty outside a revision."""
    if registration.status != RegistrationStatus.REVISION_REQUESTED:
        return []
    items = deficiencies(registration)
    if checklist is None and any(d.document_type_id for d in items):
        checklist = registration_checklist(registration)
    by_type = {item.document_type.pk: item for item in checklist or ()}
    for d in items:
        if d.document_type_id:
            item = by_type.get(d.document_type_id)
            if item and item.pending and item.pending.check_state == DocumentCheck.CHECKING:
                d.state = "checking"
            elif item and item.latest and item.latest.pk != d.flagged_document_id:
                d.state = "fixed"
        elif str(getattr(registration, d.field_name)) != d.value_at_review:
            d.state = "fixed"
    return items


@workflow.condition("resubmit")
def flagged_documents_replaced(step: workflow.Step) -> list[str]:
    """C.3 "mengisi kembali formulir": every flagged document re-uploaded."""
    registration = step.registration
    problems = []
    reviewed = {r.document_type_id: r for r in DocumentReview.objects.filter(
        registration=registration, round=registration.review_round,
        decision=Decision.NEEDS_FIX).select_related("document_type")}
    # A new upload counts as the replacement here even while it is being checked; whether
    # it was accepted is checking.uploads_checked's condition.
    items = {item.document_type.pk: item for item in registration_checklist(registration)}
    for dt_id, review in reviewed.items():
        item = items.get(dt_id)
        newest = item and (item.pending or item.latest)
        if newest is None or newest.pk == review.document_id:
            problems.append(_("Unggah ulang dokumen: %(name)s.")
                            % {"name": review.document_type.name})
    return problems


def resubmit_problems(registration: Registration) -> list[str]:
    return workflow.problems("resubmit", registration, registration.vendor)


def resubmit_warnings(registration: Registration) -> list[str]:
    """Flagged data fields still unchanged. Not a blocker: the vendor may know the value
    is right (the verifier sees it unchanged and decides), but they are told."""
    warnings = []
    for name, flag in flagged_fields(registration).items():
        if str(getattr(registration, name)) == flag.value_at_review:
            label = Registration._meta.get_field(name).verbose_name
            warnings.append(_("Data yang ditandai belum diubah: %(label)s.") % {"label": label})
    return warnings


def registration_resubmit(*, registration: Registration, actor: User,
                          request=None) -> Registration:
    """C.3: the vendor fixes what was flagged and sends it back to the same verifier."""
    return workflow.transition(
        registration, "resubmit", actor=actor, request=request,
        fields={"review_round": registration.review_round + 1,
                "submitted_at": timezone.now()})


@workflow.effect("resubmit")
def resubmitted_email(step: workflow.Step) -> None:
    """The assigned verifier is told the fixes arrived."""
    reg = step.registration
    if reg.assigned_to_id:
        email_queue(template="registration_resubmitted", to=reg.assigned_to.email,
                    context={"registration": reg}, office=reg.office)


def document_is_replaceable(registration: Registration, document_type: DocumentType) -> bool:
    """Drafts replace anything; in a revision only the flagged documents unlock."""
    if registration.status == RegistrationStatus.DRAFT:
        return True
    return document_type.pk in flagged_document_type_ids(registration)
