"""Issuing and revoking certificates (spec C.6.b, C.7); checking a file is in ``checking``.

"Verifikator akan mengirimkan bukti/tanda lulus verifikasi yang dikirimkan ke
email Pelaku Usaha" — the certificate is a signed PDF with a yearly number
and a QR code leading to the public check page. Status changes of the
registration stay in ``registrations.workflow``; these services do the
certificate's part inside the caller's transaction.
"""

import hashlib
import re
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verifikasi.accounts.models import STAFF_ROLES, Role, User
from verifikasi.core.audit import audit_log
from verifikasi.core.models import AuditChainHead
from verifikasi.core.validators import is_single_line
from verifikasi.notifications.services import email_queue
from verifikasi.registrations import workflow
from verifikasi.registrations.models import Registration, RegistrationStatus
from verifikasi.registrations.selectors import registration_checklist

from . import signing
from .models import Certificate, CertificateSequence, RevocationReason
from .numbering import format_number
from .pdf import render_certificate_pdf
from .selectors import certificate_check_url, certificate_settings_get

# A certificate is issued once the pass is recorded (C.6); the workflow may
# call in before or after moving the registration on, and a corrected
# certificate may follow a revoked one later.
ISSUABLE = (RegistrationStatus.VERIFIED, RegistrationStatus.CERTIFICATE_SENT,
            RegistrationStatus.COMPLETED)

ERR_NOT_VERIFIED = _("Tanda lulus hanya dapat diterbitkan untuk pendaftaran yang telah lulus "
                     "verifikasi.")
ERR_ALREADY_ISSUED = _("Pendaftaran ini sudah memiliki tanda lulus yang berlaku. Cabut tanda "
                       "lulus tersebut terlebih dahulu bila perlu diterbitkan ulang.")
ERR_INCOMPLETE = _("Data untuk tanda lulus belum lengkap: %(fields)s.")
ERR_ODD_TEXT = _("Data untuk tanda lulus berisi ganti baris atau karakter tersembunyi "
                 "(%(fields)s). Perbaiki datanya terlebih dahulu.")
PRINTED_TEXT = ("company_name", "npwp_display", "nib", "person_verified", "person_role",
                "verifier_name")
ERR_NO_VERIFIER = _("Nama verifikator untuk tanda lulus belum diketahui.")
ERR_NO_CALL_DATE = _("Tanggal video call verifikasi belum tercatat.")
ERR_REASON_REQUIRED = _("Alasan pencabutan wajib diisi.")
ERR_ALREADY_REVOKED = _("Tanda lulus ini sudah dicabut.")
ERR_REVOKE_ROLE = _("Tanda lulus hanya dapat dicabut oleh Ketua Tim Verifikator (atau, bersama "
                    "penolakan pendaftaran, oleh verifikator yang menanganinya).")
ERR_REASON_CATEGORY_REQUIRED = _("Pilih kategori alasan pencabutan.")
ERR_REASON_TOO_LONG = _("Alasan pencabutan paling banyak %(max)d karakter.")
MAX_REVOKE_REASON = 2000
ERR_NOT_ALLOWED = _("Anda tidak berwenang melakukan tindakan ini pada tanda lulus ini.")

PERSON_DIRECTOR = "Direktur/Pimpinan/Pemilik Perusahaan"
PERSON_REPRESENTATIVE = "Penerima Kuasa"


class CertificateStateError(PermissionDenied):
    """Acting on a certificate in the wrong state or role: a 403 with a clear message."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


# --- issuing --------------------------------------------------------------------------

def _sequence_next(office, year: int) -> int:
    """The next number of the office's yearly sequence, inside the caller's transaction.

    The UPDATE locks the row until the transaction ends, so concurrent issues
    queue here and each gets the following number; a rollback gives the
    number back. The year's row is created on first use; a concurrent insert
    waits for ours and then does nothing.
    """
    rows = CertificateSequence.objects.filter(office=office, year=year)
    if not rows.update(last_value=F("last_value") + 1):
        CertificateSequence.objects.bulk_create(
            [CertificateSequence(office=office, year=year, last_value=0)],
            ignore_conflicts=True)
        rows.update(last_value=F("last_value") + 1)
    return rows.values_list("last_value", flat=True).get()


def _lock_audit_head() -> None:
    """Take the audit chain's lock before the sequence's, whoever the caller is.

    A workflow transition writes its audit event (locking the chain head until
    commit) before it calls ``certificate_issue``; a caller outside a
    transition would otherwise lock the sequence first and the head second,
    and two such issues in opposite orders would deadlock on PostgreSQL.
    """
    list(AuditChainHead.objects.select_for_update().filter(pk=1).values_list("pk", flat=True))


def documents_verified(registration: Registration) -> list[str]:
    """The Lampiran 1 documents that apply to the registration and were uploaded, in order."""
    return [item.document_type.name for item in registration_checklist(registration)
            if item.latest is not None]


def _person(registration: Registration) -> tuple[str, str]:
    if registration.represented:
        return registration.representative_name, PERSON_REPRESENTATIVE
    return registration.director_name, PERSON_DIRECTOR


def _npwp_printed(registration: Registration) -> str:
    if registration.npwp_display and registration.npwp_display != registration.npwp:
        return f"{registration.npwp} ({registration.npwp_display})"
    return registration.npwp


def _verifier_name(registration: Registration, actor) -> str:
    for user in (registration.assigned_to, actor):
        if user is not None and getattr(user, "role", None) in STAFF_ROLES:
            return user.get_full_name()
    return ""


ERR_CALL_AFTER_ISSUE = _("Tanda lulus tidak dapat diterbitkan sebelum tanggal video call.")


def certificate_issue(*, registration: Registration, call_date: date, actor=None,
                      verifier_name: str | None = None, documents: list[str] | None = None,
                      request=None) -> Certificate:
    """C.6.b: number, render, sign and store the certificate of a verified registration.

    Runs in the caller's transaction (the workflow's ``issue_certificate``):
    the number, the row and the audit event commit or roll back with it.
    ``actor`` None means the system issued it. ``verifier_name`` defaults to
    the assigned verifier, ``documents`` to the Lampiran 1 documents uploaded.
    """
    if registration.status not in ISSUABLE:
        raise CertificateStateError(ERR_NOT_VERIFIED)
    office = registration.office
    cfg = certificate_settings_get(office)
    person, person_role = _person(registration)
    verifier_name = (verifier_name or _verifier_name(registration, actor)).strip()
    if not verifier_name:
        raise ValidationError(ERR_NO_VERIFIER, code="no_verifier")
    if call_date is None:
        raise ValidationError(ERR_NO_CALL_DATE, code="no_call_date")
    certificate = Certificate(
        registration=registration, office=office,
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
        company_name=registration.company_name, npwp_display=_npwp_printed(registration),
        nib=registration.nib, person_verified=person, person_role=person_role,
        call_date=call_date, verifier_name=verifier_name,
        documents=list(documents) if documents is not None else documents_verified(
            registration),
    )
    missing = [str(Certificate._meta.get_field(name).verbose_name)
               for name in ("company_name", "npwp_display", "nib", "person_verified")
               if not getattr(certificate, name).strip()]
    if not certificate.documents:
        missing.append(str(Certificate._meta.get_field("documents").verbose_name))
    if missing:
        raise ValidationError(ERR_INCOMPLETE, code="incomplete",
                              params={"fields": ", ".join(missing)})
    # Nothing odd reaches the PDF: text saved before one-line fields were enforced, or a
    # staff name typed in the admin, is refused here, before a number is taken.
    printed = [(certificate, n) for n in PRINTED_TEXT] + [
        (cfg, n) for n in ("signer_name", "signer_title", "place")]
    odd = [str(obj._meta.get_field(n).verbose_name) for obj, n in printed
           if not is_single_line(getattr(obj, n))]
    if odd:
        raise ValidationError(ERR_ODD_TEXT, code="odd_text", params={"fields": ", ".join(odd)})

    with transaction.atomic():
        if Certificate.objects.filter(registration=registration,
                                      revoked_at__isnull=True).exists():
            raise CertificateStateError(ERR_ALREADY_ISSUED)
        _lock_audit_head()
        certificate.issued_at = timezone.now()
        local = timezone.localtime(certificate.issued_at, office.tzinfo)
        if call_date > local.date():
            # The certificate attests a call that took place: never one still ahead.
            raise ValidationError(ERR_CALL_AFTER_ISSUE, code="call_after_issue")
        certificate.year = local.year
        certificate.seq = _sequence_next(office, local.year)
        certificate.number = format_number(cfg.number_pattern, seq=certificate.seq,
                                           year=local.year, month=local.month,
                                           office_code=office.code)
        pdf = render_certificate_pdf(
            certificate, place=cfg.place, signer_name=cfg.signer_name,
            signer_title=cfg.signer_title, check_url=certificate_check_url(certificate))
        signed = signing.sign_pdf(
            pdf, reason=f"Tanda lulus verifikasi {certificate.number}",
            location=cfg.place or office.name, name=cfg.signer_name or office.name)
        certificate.sha256 = hashlib.sha256(signed).hexdigest()
        certificate.file.save("tanda-lulus.pdf", ContentFile(signed), save=False)
        try:
            certificate.full_clean(exclude=["file"], validate_constraints=False)
            certificate.save(force_insert=True)
            audit_log(action="certificate.issued", actor=certificate.issued_by, office=office,
                      obj=certificate, request=request,
                      details={"number": certificate.number,
                               "registration": str(registration.code),
                               "sha256": certificate.sha256})
        except BaseException:
            # Not referenced by any row: remove it rather than leave personal data behind.
            certificate.file.delete(save=False)
            raise
    return certificate


def certificate_email_attachment(certificate: Certificate) -> dict:
    """The certificate as an attachment for ``notifications.services.email_queue``."""
    safe = re.sub(r"[^A-Za-z0-9]+", "-", certificate.number).strip("-")
    return {"name": f"tanda-lulus-verifikasi-{safe}.pdf", "path": certificate.file.name,
            "mimetype": "application/pdf"}


# --- after issuing --------------------------------------------------------------------

def _require_staff_of(office, actor) -> None:
    if not (getattr(actor, "is_authenticated", False) and actor.role in STAFF_ROLES
            and actor.office_id == office.pk):
        raise CertificateStateError(ERR_NOT_ALLOWED)


def _revocation_emails(certificate: Certificate, *, actor) -> None:
    """The vendor and the office head learn of it (through the outbox, in this transaction)."""
    registration = certificate.registration
    context = {"certificate": certificate, "registration": registration,
               "category": certificate.get_revoke_reason_category_display(),
               "revoked_by": actor}
    email_queue(template="certificate_revoked", to=registration.vendor.email,
                context=context, office=certificate.office)
    heads = list(User.objects.filter(office=certificate.office, role=Role.COORDINATOR,
                                     is_active=True).values_list("email", flat=True))
    if heads:
        email_queue(template="certificate_revoked_staff", to=heads, context=context,
                    office=certificate.office)


def certificate_revoke(*, certificate: Certificate, actor, reason_category: str, reason: str,
                       request=None) -> Certificate:
    """Withdraw a certificate (e.g. issued on wrong data) with a reason category and a reason.

    The public check page and the file check then say "DICABUT" with the date and
    the category; the reason stays internal (it may name people), in the record, the
    audit log and the office head's email. The vendor and the office head are
    emailed. Runs inside the caller's transaction when there is one (a rejection
    that revokes), so the revocation, its audit event and its emails commit together.
    """
    workflow.require("revoke_certificate", certificate.registration, actor)
    return certificate_revocation_record(certificate=certificate, actor=actor,
                                         reason_category=reason_category, reason=reason,
                                         request=request)


def certificate_revocation_record(*, certificate: Certificate, actor, reason_category: str,
                                  reason: str, request=None) -> Certificate:
    """The revocation itself, for a step the lifecycle map already allowed (the revoke page,
    or a rejection that revokes): validated, recorded, audited, emailed."""
    reason = (reason or "").strip()
    if reason_category not in RevocationReason.values:
        raise ValidationError(ERR_REASON_CATEGORY_REQUIRED, code="reason_category_required")
    if not reason:
        raise ValidationError(ERR_REASON_REQUIRED, code="reason_required")
    if len(reason) > MAX_REVOKE_REASON:
        raise ValidationError(ERR_REASON_TOO_LONG % {"max": MAX_REVOKE_REASON},
                              code="reason_too_long")
    with transaction.atomic():
        now = timezone.now()
        updated = Certificate.objects.filter(pk=certificate.pk, revoked_at__isnull=True).update(
            revoked_at=now, revoked_by=actor, revoke_reason=reason,
            revoke_reason_category=reason_category)
        if not updated:
            raise CertificateStateError(ERR_ALREADY_REVOKED)
        certificate.revoked_at, certificate.revoked_by = now, actor
        certificate.revoke_reason, certificate.revoke_reason_category = reason, reason_category
        audit_log(action="certificate.revoked", actor=actor, office=certificate.office,
                  obj=certificate, request=request,
                  details={"number": certificate.number, "category": reason_category,
                           "reason": reason[:500],
                           "registration": str(certificate.registration.code)})
        _revocation_emails(certificate, actor=actor)
    return certificate


def certificate_confirm_receipt(*, certificate: Certificate, actor, request=None) -> bool:
    """C.7: the vendor (or a coordinator, after the reminder period) confirms receipt.

    Returns False when receipt was already confirmed (a second click changes nothing).
    """
    if actor.role == Role.VENDOR:
        if certificate.registration.vendor_id != actor.pk:
            raise CertificateStateError(ERR_NOT_ALLOWED)
    else:
        _require_staff_of(certificate.office, actor)
    if certificate.is_revoked:
        raise CertificateStateError(ERR_ALREADY_REVOKED)
    with transaction.atomic():
        now = timezone.now()
        updated = Certificate.objects.filter(
            pk=certificate.pk, receipt_confirmed_at__isnull=True).update(
            receipt_confirmed_at=now)
        if not updated:
            return False
        certificate.receipt_confirmed_at = now
        audit_log(action="certificate.receipt_confirmed", actor=actor,
                  office=certificate.office, obj=certificate, request=request,
                  details={"number": certificate.number})
    return True
