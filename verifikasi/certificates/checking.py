"""Checking an uploaded file: is it an unaltered certificate we issued, still in force?

The public check page (/cek/) answers this for anyone holding a PDF; a revoked
certificate is named DICABUT with the date and the public reason category.
"""

import enum
import hashlib
import io
import logging
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from . import signing
from .models import Certificate

logger = logging.getLogger(__name__)

MAX_CHECK_BYTES = 5 * 1024 * 1024  # a real certificate is ~20 kB
READ_CHUNK = 64 * 1024


class CheckState(enum.StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    ALTERED = "altered"
    UNKNOWN = "unknown"
    NOT_A_PDF = "not_a_pdf"
    TOO_LARGE = "too_large"


CHECK_MESSAGES = {
    CheckState.VALID: _("Asli dan utuh: berkas ini adalah tanda lulus verifikasi yang "
                        "diterbitkan oleh sistem ini dan tidak diubah sejak ditandatangani."),
    CheckState.REVOKED: _("Berkas ini memang tanda lulus verifikasi yang diterbitkan oleh sistem "
                          "ini, tetapi tanda lulus tersebut telah DICABUT pada %(date)s "
                          "(%(category)s) dan tidak berlaku lagi."),
    CheckState.ALTERED: _("Berkas ini telah diubah setelah ditandatangani, sehingga isinya tidak "
                          "dapat dipercaya. Mintalah berkas asli yang dikirim melalui email, atau "
                          "periksa melalui kode QR pada tanda lulus."),
    CheckState.UNKNOWN: _("Berkas ini bukan tanda lulus verifikasi yang diterbitkan oleh sistem "
                          "ini: tidak ada dalam catatan kami."),
    CheckState.NOT_A_PDF: _("Berkas ini bukan PDF yang dapat dibaca. Unggah berkas PDF tanda "
                            "lulus verifikasi apa adanya, seperti yang diterima melalui email."),
    CheckState.TOO_LARGE: _("Berkas terlalu besar untuk diperiksa (maksimum %(max)d MB). Berkas "
                            "tanda lulus verifikasi yang asli jauh lebih kecil."),
}


@dataclass(frozen=True)
class CheckResult:
    state: CheckState
    certificate: Certificate | None = None  # the certificate the file is, or claims to be

    @property
    def ok(self) -> bool:
        return self.state == CheckState.VALID

    @property
    def message(self) -> str:
        text = str(CHECK_MESSAGES[self.state])
        if self.state == CheckState.TOO_LARGE:
            return text % {"max": MAX_CHECK_BYTES // (1024 * 1024)}
        if self.state == CheckState.REVOKED:
            return text % revocation_public_facts(self.certificate)
        return text


def revocation_public_facts(certificate: Certificate) -> dict:
    """What anyone may learn of a revocation: the date (office time) and the category."""
    revoked = timezone.localtime(certificate.revoked_at, certificate.office.tzinfo)
    return {"date": date_format(revoked, "j F Y"),
            "category": certificate.get_revoke_reason_category_display()}


# The check URL in the PDF's metadata names the certificate a copy claims to be.
CLAIMED_CODE = re.compile(rb"/cek/([A-Za-z0-9_-]{16,64})/")


def _read_bounded(fileobj, limit: int) -> bytes | None:
    """The file's bytes, read in chunks; None as soon as it passes ``limit``."""
    chunks = fileobj.chunks(READ_CHUNK) if hasattr(fileobj, "chunks") else iter(
        lambda: fileobj.read(READ_CHUNK), b"")
    buffer = io.BytesIO()
    for chunk in chunks:
        if buffer.tell() + len(chunk) > limit:
            return None
        buffer.write(chunk)
    return buffer.getvalue()


def _claimed(data: bytes) -> Certificate | None:
    codes = {m.group(1).decode() for m in CLAIMED_CODE.finditer(data)}
    if not codes:
        return None
    return Certificate.objects.select_related("office").filter(code__in=codes).first()


def certificate_verify_pdf(fileobj) -> CheckResult:
    """Is this file an unaltered certificate we issued, and is it still in force?

    A certificate is known by the SHA-256 of its signed bytes; anything else
    is judged by its embedded signature (validated with our signing
    certificate as the trust root, covering the entire file): our signature
    broken or followed by later changes means altered, otherwise unknown.
    """
    data = _read_bounded(fileobj, MAX_CHECK_BYTES)
    if data is None:
        return CheckResult(CheckState.TOO_LARGE)
    if b"%PDF-" not in data[:1024]:
        return CheckResult(CheckState.NOT_A_PDF)

    digest = hashlib.sha256(data).hexdigest()
    certificate = Certificate.objects.select_related("office").filter(sha256=digest).first()
    if certificate is not None:
        # Byte for byte what we issued (and signed); no need to ask the signature.
        return CheckResult(CheckState.REVOKED if certificate.is_revoked else CheckState.VALID,
                           certificate)

    claimed = _claimed(data)
    try:
        check = signing.signature_check(data)
    except signing.SigningNotConfigured:
        logger.exception("Certificate check without a signing key")
        check = signing.NO_SIGNATURE
    except Exception:  # any parser error: a damaged file, judged by what it claims to be
        return CheckResult(CheckState.ALTERED, claimed) if claimed else CheckResult(
            CheckState.NOT_A_PDF)
    if check.ours and not check.valid:
        return CheckResult(CheckState.ALTERED, claimed)
    if claimed is not None and not check.ours:
        # Claims to be one of ours (our check address inside) but is not what we signed.
        return CheckResult(CheckState.ALTERED, claimed)
    return CheckResult(CheckState.UNKNOWN)
