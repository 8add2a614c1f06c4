"""The verifier's review of documents and data (spec C.3, C.8.a).

"Verifikator akan mengecek kelengkapan dokumen yang dikirim; apabila sudah
lengkap … diberikan invitation link …; apabila masih belum lengkap, Verifikator
akan menjelaskan ketidaksesuaian dan kekurangan dokumen yang harus dilengkapi
oleh Pelaku Usaha dengan mengisi kembali formulir sebelumnya."
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from verifikasi.accounts.models import Role, User
from verifikasi.core.audit import audit_log
from verifikasi.core.validators import text_within
from verifikasi.notifications.services import email_queue

from . import workflow
from .deadlines import countdown_text, days_left, office_today
from .models import (
    Decision,
    DeficiencyReason,
    DocumentReview,
    DocumentType,
    FieldFlag,
    Registration,
)
from .selectors import latest_documents, registration_checklist

# Company fields a verifier may flag, with the vendor-facing label.
FLAGGABLE_FIELDS = [
    "business_form", "company_name", "npwp", "nib", "address", "province", "regency",
    "postal_code", "phone", "email", "director_name", "director_nik", "representative_name",
    "representative_nik", "spse_user_id",
]

ERR_REASON_REQUIRED = gettext_lazy("Pilih minimal satu alasan perbaikan.")
MAX_REASON = 2000  # Registration.closing_reason; the same text goes into the vendor's email
MAX_FLAG_NOTE, MAX_BLACKLIST_NOTE = 500, 300  # FieldFlag.note, Registration.blacklist_note
ERR_NOTE_FOR_OTHER = gettext_lazy("Alasan “Lainnya” memerlukan catatan.")
ERR_ALREADY_TAKEN = gettext_lazy("Pendaftaran ini baru saja diambil verifikator lain.")
ERR_NOT_STAFF_OF_OFFICE = gettext_lazy("Verifikator yang dipilih bukan staf kantor ini.")
ERR_REJECT_REASON = gettext_lazy("Alasan penolakan wajib diisi.")
ERR_BLACKLIST_REQUIRED = gettext_lazy(
    "Catat hasil pemeriksaan daftar hitam sebelum menerima dokumen.")
ERR_BLACKLISTED = gettext_lazy(
    "Pelaku Usaha tercantum di daftar hitam: pendaftaran harus ditolak, tidak dapat diterima.")
ERR_UNKNOWN_FIELD = gettext_lazy("Kolom data tidak dikenal.")


def registration_take(*, registration: Registration, actor: User, request=None) -> None:
    """A verifier takes an unassigned registration from the queue."""
    workflow.require("take", registration, actor)
    with transaction.atomic():
        taken = Registration.objects.filter(pk=registration.pk, assigned_to__isnull=True) \
            .update(assigned_to=actor)
        if not taken:
            raise workflow.WorkflowError(ERR_ALREADY_TAKEN)
        registration.assigned_to = actor
        audit_log(action="registration.taken", actor=actor, office=registration.office,
                  obj=registration, request=request)


def registration_assign(*, registration: Registration, actor: User, verifier: User,
                        request=None) -> None:
    """The coordinator (Ketua Tim) assigns a registration to a verifier of the office."""
    workflow.require("assign", registration, actor)
    if verifier.office_id != registration.office_id or verifier.role not in (
            Role.VERIFIER, Role.COORDINATOR) or not verifier.is_active:
        raise workflow.WorkflowError(ERR_NOT_STAFF_OF_OFFICE)
    with transaction.atomic():
        previous = registration.assigned_to_id
        Registration.objects.filter(pk=registration.pk).update(assigned_to=verifier)
        registration.assigned_to = verifier
        audit_log(action="registration.assigned", actor=actor, office=registration.office,
                  obj=registration, request=request,
                  details={"to": verifier.email, "from_user_id": previous})


def document_review_record(*, registration: Registration, document_type: DocumentType,
                           actor: User, decision: str, reasons: list[DeficiencyReason] = (),
                           note: str = "", request=None) -> DocumentReview:
    """C.3: accept one document, or mark it "perlu perbaikan" with reasons and a note."""
    workflow.require("review_document", registration, actor)
    if decision not in Decision.values:
        raise ValueError(decision)
    reasons = list(reasons)
    if decision == Decision.NEEDS_FIX:
        if not reasons:
            raise ValidationError(ERR_REASON_REQUIRED)
        if any(r.code == "other" for r in reasons) and not note.strip():
            raise ValidationError(ERR_NOTE_FOR_OTHER)
    else:
        reasons, note = [], ""
    document = latest_documents(registration).get(document_type.pk)
    if document is None:
        raise ValidationError(_("Dokumen ini belum diunggah."))
    with transaction.atomic():
        review, _created = DocumentReview.objects.update_or_create(
            registration=registration, round=registration.review_round,
            document_type=document_type,
            defaults={"document": document, "decision": decision, "note": note.strip(),
                      "reviewer": actor},
        )
        review.reasons.set(reasons)
        audit_log(action="document.reviewed", actor=actor, office=registration.office,
                  obj=registration, request=request,
                  details={"document_type": document_type.code, "version": document.version,
                           "decision": decision, "reasons": [r.code for r in reasons],
                           "note": note.strip()[:500]})
    return review


def field_flag_set(*, registration: Registration, actor: User, field_name: str, note: str,
                   request=None) -> None:
    """C.3: flag a company data field as wrong (empty note clears the flag)."""
    workflow.require("review_document", registration, actor)
    note = text_within(note, max_length=MAX_FLAG_NOTE)
    if field_name not in FLAGGABLE_FIELDS:
        raise workflow.WorkflowError(ERR_UNKNOWN_FIELD)
    with transaction.atomic():
        qs = FieldFlag.objects.filter(registration=registration,
                                      round=registration.review_round, field=field_name)
        if note.strip():
            FieldFlag.objects.update_or_create(
                registration=registration, round=registration.review_round, field=field_name,
                defaults={"note": note.strip()[:500], "reviewer": actor,
                          "value_at_review": str(getattr(registration, field_name))})
        else:
            qs.delete()
        audit_log(action="registration.field_flagged" if note.strip()
                  else "registration.field_unflagged", actor=actor,
                  office=registration.office, obj=registration, request=request,
                  details={"field": field_name, "note": note.strip()[:500]})


def blacklist_check_record(*, registration: Registration, actor: User, listed: bool,
                           note: str = "", request=None) -> None:
    """The verifier records the national blacklist (daftar hitam) check: when, who, result."""
    workflow.require("review_document", registration, actor)
    note = text_within(note, max_length=MAX_BLACKLIST_NOTE)
    with transaction.atomic():
        now = timezone.now()
        Registration.objects.filter(pk=registration.pk).update(
            blacklist_checked_at=now, blacklist_checked_by=actor, blacklist_listed=listed,
            blacklist_note=note.strip()[:300])
        registration.blacklist_checked_at, registration.blacklist_checked_by = now, actor
        registration.blacklist_listed, registration.blacklist_note = listed, note.strip()[:300]
        audit_log(action="registration.blacklist_checked", actor=actor,
                  office=registration.office, obj=registration, request=request,
                  details={"listed": listed, "note": note.strip()[:300]})


@dataclass
class Deficiency:
    """One line of the "ketidaksesuaian dan kekurangan" list sent to the vendor."""

    subject: str
    reasons: list[str] = field(default_factory=list)
    note: str = ""
    document_type_id: int | None = None
    field_name: str = ""
    # What the verifier looked at: the flagged upload, or the field's value then.
    flagged_document_id: int | None = None
    value_at_review: str = ""
    # Set by revision.revision_deficiencies: "todo", "checking" (a replacement is being
    # checked) or "fixed".
    state: str = "todo"


@dataclass
class ReviewState:
    round: int
    decisions: dict[int, DocumentReview]  # by document_type id
    flags: dict[str, FieldFlag]
    undecided: list[DocumentType]
    changed: set[int]  # document type ids re-uploaded since the previous round

    @property
    def all_accepted(self) -> bool:
        return (not self.undecided and not self.flags
                and all(r.decision == Decision.ACCEPTED for r in self.decisions.values()))


def review_state(registration: Registration) -> ReviewState:
    """Where the current round stands; decisions on documents unchanged since an
    earlier accepted review carry over, so the verifier only looks at what changed."""
    checklist = registration_checklist(registration)
    current = {r.document_type_id: r for r in DocumentReview.objects.filter(
        registration=registration, round=registration.review_round)
        .select_related("document").prefetch_related("reasons")}
    previous = {}
    for r in DocumentReview.objects.filter(registration=registration,
                                           round__lt=registration.review_round) \
            .order_by("round").select_related("document"):
        previous[r.document_type_id] = r
    changed = {item.document_type.pk for item in checklist if item.latest
               and item.document_type.pk in previous
               and previous[item.document_type.pk].document_id != item.latest.pk}
    decisions = {}
    for item in checklist:
        dt_id = item.document_type.pk
        if dt_id in current and item.latest and current[dt_id].document_id == item.latest.pk:
            decisions[dt_id] = current[dt_id]
        elif (dt_id in previous and item.latest and dt_id not in changed
              and previous[dt_id].decision == Decision.ACCEPTED):
            decisions[dt_id] = previous[dt_id]
    undecided = [item.document_type for item in checklist if item.document_type.pk
                 not in decisions]
    flags = {f.field: f for f in FieldFlag.objects.filter(
        registration=registration, round=registration.review_round)}
    return ReviewState(registration.review_round, decisions, flags, undecided, changed)


def deficiencies(registration: Registration, round_: int | None = None) -> list[Deficiency]:
    """The list the vendor receives: each flagged document and field with reasons and notes."""
    round_ = registration.review_round if round_ is None else round_
    items = []
    for r in DocumentReview.objects.filter(registration=registration, round=round_,
                                           decision=Decision.NEEDS_FIX) \
            .select_related("document_type").prefetch_related("reasons") \
            .order_by("document_type__order"):
        items.append(Deficiency(r.document_type.name, [x.label for x in r.reasons.all()],
                                r.note, document_type_id=r.document_type_id,
                                flagged_document_id=r.document_id))
    for f in FieldFlag.objects.filter(registration=registration, round=round_).order_by("pk"):
        label = str(Registration._meta.get_field(f.field).verbose_name)
        items.append(Deficiency(capfirst(label), [], f.note, field_name=f.field,
                                value_at_review=f.value_at_review))
    return items


@workflow.condition("request_revision", "accept_documents")
def review_decided(step: workflow.Step) -> list[str]:
    """C.3: every document of the round has a decision."""
    state = review_state(step.registration)
    return [_("Belum diperiksa: %(name)s.") % {"name": dt.name} for dt in state.undecided]


@workflow.condition("accept_documents")
def blacklist_clear(step: workflow.Step) -> list[str]:
    """The national blacklist (daftar hitam) was checked and the vendor is not on it."""
    registration = step.registration
    if registration.blacklist_checked_at is None:
        return [str(ERR_BLACKLIST_REQUIRED)]
    if registration.blacklist_listed:
        return [str(ERR_BLACKLISTED)]
    return []


@workflow.effect("accept_documents")
def documents_accepted(step: workflow.Step) -> None:
    """The round's record is completed and the vendor is told the documents are accepted."""
    reg = step.registration
    # Accepted documents carried over from an earlier round are recorded for this
    # round too, so each round's record is complete.
    for dt_id, review in review_state(reg).decisions.items():
        if review.round != reg.review_round:
            DocumentReview.objects.get_or_create(
                registration=reg, round=reg.review_round, document_type_id=dt_id,
                defaults={"document": review.document, "reviewer": step.actor,
                          "decision": Decision.ACCEPTED, "note": ""})
    email_queue(template="documents_accepted", to=reg.vendor.email,
                context={"registration": reg}, office=reg.office)


@workflow.effect("request_revision")
def revision_requested(step: workflow.Step) -> None:
    """C.3: the vendor is emailed the list of deficiencies (document, reason, note)."""
    reg = step.registration
    left = days_left(reg, today=office_today(reg.office))
    email_queue(template="revision_requested", to=reg.vendor.email,
                context={"registration": reg, "deficiencies": deficiencies(reg),
                         "countdown": countdown_text(left)},
                office=reg.office)


def review_complete(*, registration: Registration, actor: User, request=None) -> Registration:
    """C.3: send the result of the review.

    Everything accepted → "documents accepted" (scheduling comes next); anything
    flagged → "revision requested" and the vendor is emailed the list of
    deficiencies (document, reason, note) with a link.
    """
    workflow.require("review_document", registration, actor)
    state = review_state(registration)
    fields = {"assigned_to": registration.assigned_to or actor}
    if state.all_accepted:
        if registration.blacklist_checked_at is None:
            raise ValidationError(ERR_BLACKLIST_REQUIRED)
        if registration.blacklist_listed:
            raise ValidationError(ERR_BLACKLISTED)
        return workflow.transition(registration, "accept_documents", actor=actor,
                                   request=request, fields=fields)
    return workflow.transition(
        registration, "request_revision", actor=actor, request=request, fields=fields,
        details={"deficiencies": [d.subject for d in deficiencies(registration)]})


@workflow.effect("reject")
def rejected_email(step: workflow.Step) -> None:
    """The vendor is told of the rejection and its reason."""
    reg = step.registration
    email_queue(template="registration_rejected", to=reg.vendor.email,
                context={"registration": reg, "reason": step.data.get("reason", "")},
                office=reg.office)


def registration_reject(*, registration: Registration, actor: User, reason: str,
                        request=None, **data) -> Registration:
    """Final rejection (e.g. a forged document or a blacklisted vendor); reason required.

    What other steps hold for the registration (a booked call, an issued
    certificate) is released by their registered effects in the same transaction.
    """
    reason = text_within(reason, max_length=MAX_REASON)
    if not reason:
        raise ValidationError(ERR_REJECT_REASON)
    return workflow.transition(registration, "reject", actor=actor, request=request,
                               data={"reason": reason.strip(), **data},
                               fields={"closing_reason": reason.strip()[:2000]},
                               details={"reason": reason.strip()[:500]})
