"""Vendor-side services for section B of the procedure (B.1–B.8).

Each service changes things in one transaction and writes an audit event;
status changes go through ``workflow.transition``.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from verifikasi.accounts.models import User
from verifikasi.accounts.selectors import team_emails
from verifikasi.core.audit import audit_log, client_ip
from verifikasi.core.validators import text_within
from verifikasi.notifications.services import email_queue

from . import workflow
from .models import Registration, RegistrationStatus
from .revision import flagged_fields
from .selectors import registration_checklist, step_checklist

# Bump when the privacy notice text changes: consent is to one version.
PRIVACY_NOTICE_VERSION = "2026-11-v1"

COMPANY_FIELDS = [
    "business_form", "company_name", "npwp", "nib", "address", "province", "regency",
    "phone", "email", "director_name", "director_nik", "spse_user_id",
]
REPRESENTATIVE_FIELDS = ["representative_name", "representative_nik"]

MAX_WITHDRAW_REASON = 500  # the form's maxlength; the reason goes into the cancellation email
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
    workflow.require("update_company", registration, actor)
    try:
        with transaction.atomic():
            # Under the row lock, so a concurrent step (a submit, a rejection) is neither
            # undone nor written over: only the company columns change, in one UPDATE.
            current = Registration.objects.select_for_update().get(pk=registration.pk)
            workflow.require("update_company", current, actor)
            allowed = company_editable_fields(current)
            if allowed is not None:
                if not allowed:
                    raise workflow.WorkflowError(workflow.ERR_NOT_EDITABLE)
                if "npwp" in allowed:
                    allowed |= {"npwp_display", "identifier_warnings"}
                data = {k: v for k, v in data.items() if k in allowed}
            represented = data.get("represented", current.represented)
            if not represented:
                data.update(representative_name="", representative_nik="")
            changed = {k: v for k, v in data.items() if getattr(current, k) != v}
            if changed:
                Registration.objects.filter(pk=current.pk).update(
                    **changed, updated_at=timezone.now())
            audit_log(action="registration.company_updated", actor=actor,
                      office=current.office, obj=current, request=request,
                      details={"fields": sorted(changed)})
    except IntegrityError:
        registration.refresh_from_db()
        raise workflow.WorkflowError(ERR_DUPLICATE_NPWP) from None
    registration.refresh_from_db()
    return registration


def registration_consent(*, registration: Registration, actor: User, request=None) -> None:
    """UU No. 27/2022 Pasal 20–22: recorded, provable consent to one notice version."""
    workflow.require("give_consent", registration, actor)
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


@workflow.condition("submit")
def submit_conditions(step: workflow.Step) -> list[str]:
    """B.6–B.8: company data complete, every document uploaded, consent given."""
    registration = step.registration
    problems = []
    missing = company_missing_fields(registration)
    if missing:
        problems.append(_("Data perusahaan belum lengkap: %(fields)s.")
                        % {"fields": ", ".join(missing)})
    for item in step_checklist(step):
        if item.latest is None and item.pending is None:  # else: checking.uploads_checked
            problems.append(_("Dokumen belum diunggah: %(name)s.")
                            % {"name": item.document_type.name})
    if registration.consent_version != PRIVACY_NOTICE_VERSION or not registration.consent_at:
        problems.append(_("Persetujuan pemberitahuan privasi belum diberikan."))
    return problems


def submit_problems(registration: Registration, checklist=None) -> list[str]:
    """Everything still missing before B.8 (submitting), each named for the vendor
    (``checklist``: the page's own ``registration_checklist``, so it is built once)."""
    data = {"checklist": checklist} if checklist is not None else {}
    return workflow.problems("submit", registration, registration.vendor, **data)


@workflow.effect("submit")
def submit_emails(step: workflow.Step) -> None:
    """The vendor gets a receipt listing the documents; the verifier team is told."""
    registration = step.registration
    items = registration_checklist(registration)
    context = {"registration": registration, "items": items}
    email_queue(template="registration_submitted", to=registration.vendor.email,
                context=context, office=registration.office)
    recipients = team_emails(registration.office)
    if recipients:
        email_queue(template="registration_submitted_staff", to=recipients, context=context,
                    office=registration.office)


def registration_submit(*, registration: Registration, actor: User, request=None) -> Registration:
    """B.6–B.8: the vendor submits data and documents; the verifier team is told.

    Allowed only when the data is complete, every applicable document is
    uploaded and consent is given. The vendor gets a receipt listing the
    documents; after this the documents are locked.
    """
    return workflow.transition(registration, "submit", actor=actor, request=request,
                               fields={"submitted_at": timezone.now()})


def registration_withdraw(*, registration: Registration, actor: User, request=None,
                          reason: str = "") -> Registration:
    """The vendor withdraws their registration (any open state before the certificate);
    the steps that hold something for it (a booked call) release it by their effects."""
    reason = text_within(reason, max_length=MAX_WITHDRAW_REASON)
    return workflow.transition(registration, "withdraw", actor=actor, request=request,
                               data={"reason": reason}, details={"reason": reason[:500]})
