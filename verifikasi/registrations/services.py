"""Vendor-side services for section B of the procedure (B.1–B.8).

Each service changes things in one transaction and writes an audit event;
status changes go through ``workflow.transition``.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from verifikasi.accounts.models import Role, User
from verifikasi.core.audit import audit_log, client_ip
from verifikasi.core.validators import text_within
from verifikasi.notifications.services import email_queue
from verifikasi.scheduling.selectors import proposal_problems

from . import workflow
from .models import Registration, RegistrationStatus
from .selectors import registration_checklist

# Bump when the privacy notice text changes: consent is to one version.
PRIVACY_NOTICE_VERSION = "2026-11-v1"

COMPANY_FIELDS = [
    "business_form", "company_name", "npwp", "nib", "address", "province", "regency",
    "phone", "email", "director_name", "director_nik", "spse_user_id",
]
REPRESENTATIVE_FIELDS = ["representative_name", "representative_nik"]

MAX_WITHDRAW_REASON = 500  # the form's maxlength; the reason goes into the cancellation email
ERR_NOT_EDITABLE = gettext_lazy(
    "Data tidak dapat diubah lagi karena pendaftaran sudah diajukan.")
ERR_DUPLICATE_NPWP = gettext_lazy(
    "Sudah ada pendaftaran yang sedang berjalan untuk NPWP ini di kantor ini. Lanjutkan "
    "pendaftaran tersebut atau hubungi tim verifikator.")


def registration_start(*, vendor: User, office, request=None) -> Registration:
    """B.2: a vendor who has an SPSE account starts their verification here."""
    with transaction.atomic():
        registration = Registration.objects.create(office=office, vendor=vendor,
                                                   email=vendor.email)
        audit_log(action="registration.created", actor=vendor, office=office,
                  obj=registration, request=request)
    return registration


def registration_is_editable(registration: Registration) -> bool:
    return registration.status == RegistrationStatus.DRAFT


def company_editable_fields(registration: Registration) -> set[str] | None:
    """Which company fields the vendor may change now: all (None) in a draft; in a
    revision only those the verifier flagged (C.3); none otherwise."""
    from .review import flagged_fields

    if registration.status == RegistrationStatus.DRAFT:
        return None
    if registration.status == RegistrationStatus.REVISION_REQUESTED:
        return set(flagged_fields(registration))
    return set()


def registration_update_company(*, registration: Registration, actor: User, data: dict,
                                request=None) -> Registration:
    """B.2, B.7: the vendor enters the company data the verifier checks against documents.

    In a revision only the flagged fields change (C.3 "mengisi kembali formulir").
    """
    allowed = company_editable_fields(registration)
    if allowed is not None:
        if not allowed:
            raise workflow.WorkflowError(ERR_NOT_EDITABLE)
        if "npwp" in allowed:
            allowed |= {"npwp_display", "identifier_warnings"}
        data = {k: v for k, v in data.items() if k in allowed}
    changed = {k: v for k, v in data.items() if getattr(registration, k) != v}
    for name, value in data.items():
        setattr(registration, name, value)
    if not registration.represented:
        registration.representative_name = registration.representative_nik = ""
    try:
        with transaction.atomic():
            registration.save()
            audit_log(action="registration.company_updated", actor=actor,
                      office=registration.office, obj=registration, request=request,
                      details={"fields": sorted(changed)})
    except IntegrityError:
        registration.refresh_from_db()
        raise workflow.WorkflowError(ERR_DUPLICATE_NPWP) from None
    return registration


def registration_consent(*, registration: Registration, actor: User, request=None) -> None:
    """UU No. 27/2022 Pasal 20–22: recorded, provable consent to one notice version."""
    if not registration_is_editable(registration):
        raise workflow.WorkflowError(ERR_NOT_EDITABLE)
    with transaction.atomic():
        registration.consent_version = PRIVACY_NOTICE_VERSION
        registration.consent_at = timezone.now()
        registration.consent_ip = client_ip(request)
        registration.save(update_fields=["consent_version", "consent_at", "consent_ip",
                                         "updated_at"])
        audit_log(action="registration.consent_given", actor=actor, office=registration.office,
                  obj=registration, request=request,
                  details={"notice_version": PRIVACY_NOTICE_VERSION})


def company_missing_fields(registration: Registration) -> list[str]:
    """The labels of required company fields still empty."""
    fields = COMPANY_FIELDS + (REPRESENTATIVE_FIELDS if registration.represented else [])
    return [str(Registration._meta.get_field(f).verbose_name) for f in fields
            if not getattr(registration, f)]


def submit_problems(registration: Registration) -> list[str]:
    """Everything still missing before B.8 (submitting), each named for the vendor."""
    problems = []
    missing = company_missing_fields(registration)
    if missing:
        problems.append(_("Data perusahaan belum lengkap: %(fields)s.")
                        % {"fields": ", ".join(missing)})
    for item in registration_checklist(registration):
        if item.latest is None:
            problems.append(_("Dokumen belum diunggah: %(name)s.")
                            % {"name": item.document_type.name})
    problems += proposal_problems(registration)
    if registration.consent_version != PRIVACY_NOTICE_VERSION or not registration.consent_at:
        problems.append(_("Persetujuan pemberitahuan privasi belum diberikan."))
    return problems


def _submit_emails(registration: Registration) -> None:
    items = registration_checklist(registration)
    context = {"registration": registration, "items": items}
    email_queue(template="registration_submitted", to=registration.vendor.email,
                context=context, office=registration.office)
    verifiers = User.objects.filter(office=registration.office, is_active=True,
                                    role__in=[Role.VERIFIER, Role.COORDINATOR])
    recipients = list(verifiers.values_list("email", flat=True))
    if recipients:
        email_queue(template="registration_submitted_staff", to=recipients, context=context,
                    office=registration.office)


def registration_submit(*, registration: Registration, actor: User, request=None) -> Registration:
    """B.6–B.8: the vendor submits data and documents; the verifier team is told.

    Allowed only when the data is complete, every applicable document is
    uploaded and consent is given. The vendor gets a receipt listing the
    documents; after this the documents are locked.
    """
    return workflow.transition(
        registration, "submit", actor=actor, request=request, guard=submit_problems,
        effects=_submit_emails, fields={"submitted_at": timezone.now()},
    )


def registration_withdraw(*, registration: Registration, actor: User, request=None,
                          reason: str = "") -> Registration:
    """The vendor withdraws their registration (any open state); a booked call is freed."""
    reason = text_within(reason, max_length=MAX_WITHDRAW_REASON)
    from verifikasi.scheduling.services import appointment_cancel

    def release(reg):
        appointment_cancel(registration=reg, actor=actor, reason=reason, request=request)

    return workflow.transition(registration, "withdraw", actor=actor, request=request,
                               effects=release, details={"reason": reason[:500]})
