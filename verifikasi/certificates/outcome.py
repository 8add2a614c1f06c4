"""The end of the procedure: approval in SPSE, the certificate, receipt (C.6, C.7, C.9, C.10).

"Apabila dokumen telah sesuai dan lengkap: a. Verifikator menyetujui pendaftaran
pada aplikasi SPSE; b. Verifikator akan mengirimkan bukti/tanda lulus verifikasi
yang dikirimkan ke email Pelaku Usaha" — then "Pelaku Usaha menyampaikan
konfirmasi jika telah menerima bukti/tanda lulus verifikasi" and the process is
complete.
"""

from datetime import timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verifikasi.accounts.models import Role, User
from verifikasi.core.audit import audit_log
from verifikasi.core.queue import enqueue
from verifikasi.core.validators import text_within, validate_single_line
from verifikasi.notifications.services import email_queue
from verifikasi.registrations import workflow
from verifikasi.registrations.models import Registration, RegistrationStatus

from .models import Certificate, RevocationReason
from .selectors import certificate_current, certificate_settings_get
from .services import (
    certificate_confirm_receipt,
    certificate_email_attachment,
    certificate_issue,
    certificate_revocation_record,
)

ERR_CONFIRM_SPSE = _("Centang konfirmasi bahwa akun sudah disetujui di SPSE.")
ERR_SPSE_USER_ID = _("Isi User ID SPSE yang disetujui.")
ERR_ALREADY_APPROVED = _("Persetujuan SPSE sudah dicatat.")
ERR_COUNTERSIGN_SELF = _("Persetujuan kedua harus oleh orang lain, bukan yang mencatat "
                         "persetujuan SPSE.")
ERR_NOT_APPROVED = _("Persetujuan SPSE belum dicatat.")
ERR_CLOSE_TOO_EARLY = _("Pendaftaran dapat ditutup oleh ketua tim setelah pengingat "
                        "konfirmasi penerimaan terkirim dan masa tunggunya lewat.")
ERR_CLOSE_NOTE = _("Catatan penutupan wajib diisi.")

RECEIPT_SALT = "verifikasi.receipt"


def spse_approval_record(*, registration: Registration, actor: User, confirmed: bool,
                         spse_user_id: str, request=None) -> Registration:
    """C.6.a: SPSE has no API for this; the verifier approves the account in SPSE, then
    records it here (confirmed, the SPSE user ID, when, by whom). The certificate
    follows at once unless the office wants a coordinator's countersignature."""
    workflow.require("record_spse_approval", registration, actor)
    if registration.spse_approved_at:
        raise ValidationError(ERR_ALREADY_APPROVED)
    if not confirmed:
        raise ValidationError(ERR_CONFIRM_SPSE)
    if not spse_user_id.strip():
        raise ValidationError(ERR_SPSE_USER_ID)
    validate_single_line(text_within(spse_user_id, max_length=100))
    with transaction.atomic():
        now = timezone.now()
        updated = Registration.objects.filter(
            pk=registration.pk, status=RegistrationStatus.VERIFIED,
            spse_approved_at__isnull=True,
        ).update(spse_approved_at=now, spse_approved_by=actor,
                 spse_approved_user_id=spse_user_id.strip()[:100])
        if not updated:
            raise workflow.WorkflowError(workflow.ERR_RACE)
        registration.spse_approved_at, registration.spse_approved_by = now, actor
        registration.spse_approved_user_id = spse_user_id.strip()[:100]
        audit_log(action="registration.spse_approved", actor=actor, office=registration.office,
                  obj=registration, request=request,
                  details={"spse_user_id": registration.spse_approved_user_id})
        _issue_if_ready(registration, request=request)
    return registration


def countersign(*, registration: Registration, actor: User, request=None) -> Registration:
    """A second person on every approval (office setting): the coordinator countersigns."""
    workflow.require("countersign", registration, actor)
    if not registration.spse_approved_at:
        raise ValidationError(ERR_NOT_APPROVED)
    if registration.spse_approved_by_id == actor.pk:
        raise ValidationError(ERR_COUNTERSIGN_SELF)
    with transaction.atomic():
        now = timezone.now()
        updated = Registration.objects.filter(
            pk=registration.pk, status=RegistrationStatus.VERIFIED,
            countersigned_at__isnull=True).update(countersigned_at=now, countersigned_by=actor)
        if not updated:
            raise workflow.WorkflowError(workflow.ERR_RACE)
        registration.countersigned_at, registration.countersigned_by = now, actor
        audit_log(action="registration.countersigned", actor=actor,
                  office=registration.office, obj=registration, request=request)
        _issue_if_ready(registration, request=request)
    return registration


def issue_ready(registration: Registration) -> bool:
    if registration.status != RegistrationStatus.VERIFIED or not registration.spse_approved_at:
        return False
    if certificate_settings_get(registration.office).require_countersign:
        return registration.countersigned_at is not None
    return True


def _issue_if_ready(registration: Registration, *, request=None) -> None:
    """C.6.b: issue, sign and email the certificate once approval (and countersign) hold."""
    if not issue_ready(registration):
        return
    workflow.transition(registration, "issue_certificate", actor=None, request=request)


@workflow.effect("issue_certificate")
def certificate_deliver(step: workflow.Step) -> None:
    """C.6.b: the certificate is numbered, signed, emailed; a receipt reminder is queued."""
    reg = step.registration
    certificate = certificate_issue(registration=reg, call_date=reg.call_held_on,
                                    actor=None, request=step.request)
    email_queue(template="certificate_issued", to=reg.vendor.email,
                context={"registration": reg, "certificate": certificate,
                         "receipt_url": receipt_url(certificate)},
                office=reg.office, attachments=[certificate_email_attachment(certificate)])
    days = certificate_settings_get(reg.office).receipt_reminder_days
    enqueue("verifikasi.certificates.tasks.receipt_reminder_send", str(reg.code),
            run_after=timezone.now() + timedelta(days=days))


def certificate_reissue(*, registration: Registration, actor: User, request=None) -> Certificate:
    """After a revocation (e.g. a wrong name on it), the coordinator issues a corrected
    certificate with a new number; the vendor receives it like the first one."""
    workflow.require("reissue_certificate", registration, actor)
    with transaction.atomic():
        certificate = certificate_issue(registration=registration,
                                        call_date=registration.call_held_on, actor=actor,
                                        request=request)
        email_queue(template="certificate_issued", to=registration.vendor.email,
                    context={"registration": registration, "certificate": certificate,
                             "receipt_url": receipt_url(certificate)},
                    office=registration.office,
                    attachments=[certificate_email_attachment(certificate)])
    return certificate


def receipt_token(certificate: Certificate) -> str:
    return signing.dumps(certificate.code, salt=RECEIPT_SALT)


def receipt_url(certificate: Certificate) -> str:
    from django.conf import settings
    from django.urls import reverse

    return settings.SITE_URL + reverse("receipt_confirm", args=[receipt_token(certificate)])


def certificate_from_receipt_token(token: str) -> Certificate | None:
    try:
        code = signing.loads(token, salt=RECEIPT_SALT, max_age=timedelta(days=365))
    except signing.BadSignature:
        return None
    return Certificate.objects.select_related("registration", "office").filter(
        code=code).first()


def receipt_confirm(*, registration: Registration, actor: User | None, request=None,
                    note: str = "") -> Registration:
    """C.7, C.9, C.10: the vendor confirms receipt → completed (once).

    A vendor who follows the emailed link confirms without logging in: the
    signed link stands for them (``actor`` None, recorded as the vendor). A
    coordinator may close it after the reminder period, with a note.
    """
    certificate = certificate_current(registration)
    by_vendor = actor is None or actor.role == Role.VENDOR
    if not by_vendor:
        if not note.strip():
            raise ValidationError(ERR_CLOSE_NOTE)
        if not receipt_close_allowed(registration):
            raise ValidationError(ERR_CLOSE_TOO_EARLY)

    return workflow.transition(
        registration, "confirm_receipt", actor=actor or registration.vendor, request=request,
        data={"certificate": certificate}, details={"note": note.strip()[:500]} if note.strip() else
        {"via": "link" if actor is None else "home"})


@workflow.effect("confirm_receipt")
def certificate_receipt_mark(step: workflow.Step) -> None:
    """The certificate records when and by whom its receipt was confirmed."""
    certificate = step.data.get("certificate")
    if certificate is not None:
        certificate_confirm_receipt(certificate=certificate,
                                    actor=step.actor or step.registration.vendor,
                                    request=step.request)


def receipt_close_allowed(registration: Registration, now=None) -> bool:
    """After the reminder went out and the same number of days passed again."""
    if registration.receipt_reminder_sent_at is None:
        return False
    days = certificate_settings_get(registration.office).receipt_reminder_days
    return (now or timezone.now()) >= registration.receipt_reminder_sent_at + timedelta(days=days)


def receipt_reminder_send(*, registration_code: str) -> str:
    """C.7 reminder: once, if the vendor has not confirmed receipt in time."""
    registration = Registration.objects.select_related("office", "vendor").filter(
        code=registration_code).first()
    if registration is None or registration.status != RegistrationStatus.CERTIFICATE_SENT:
        return "skipped"
    with transaction.atomic():
        claimed = Registration.objects.filter(
            pk=registration.pk, status=RegistrationStatus.CERTIFICATE_SENT,
            receipt_reminder_sent_at__isnull=True).update(receipt_reminder_sent_at=timezone.now())
        if not claimed:
            return "skipped"
        certificate = certificate_current(registration)
        email_queue(template="receipt_reminder", to=registration.vendor.email,
                    context={"registration": registration, "certificate": certificate,
                             "receipt_url": receipt_url(certificate) if certificate else ""},
                    office=registration.office)
        audit_log(action="registration.receipt_reminded", office=registration.office,
                  obj=registration)
    return "sent"


# --- rejecting a certified registration ---------------------------------------------

ERR_REJECT_REVOKES = _(
    "Tanda lulus pendaftaran ini sudah terbit: penolakan mencabutnya. Centang pencabutan "
    "tanda lulus untuk melanjutkan.")


@workflow.condition("reject")
def rejection_revokes_certificate(step: workflow.Step) -> list[str]:
    """A registration with a valid certificate is rejected only with the certificate revoked,
    knowingly (the person rejecting ticks it)."""
    if certificate_current(step.registration) is not None and \
            not step.data.get("revoke_certificate"):
        return [str(ERR_REJECT_REVOKES)]
    return []


@workflow.effect("reject")
def certificate_revoked_with_rejection(step: workflow.Step) -> None:
    """The certificate is revoked in the rejection's transaction: /cek says DICABUT at once."""
    certificate = certificate_current(step.registration)
    if certificate is not None:
        certificate_revocation_record(
            certificate=certificate, actor=step.actor,
            reason_category=RevocationReason.REGISTRATION_REJECTED,
            reason=step.data.get("reason", ""), request=step.request)
