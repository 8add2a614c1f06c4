"""PAdES signatures on certificates, with the office's key from a PKCS#12 file.

The key comes from ``settings.CERTIFICATE_P12_PATH`` (password:
``CERTIFICATE_P12_PASSWORD`` or ``…_FILE``); ``manage.py
create_signing_certificate`` makes a self-signed one. A certificate is a
certification signature that permits no changes: anything appended later
(an incremental update, a form fill, an annotation) shows in any PDF reader
as a broken certification, and ``signature_check`` reports it as altered.

Loading a PKCS#12 costs a key derivation (tens to hundreds of ms), so the
loaded signer is kept per process and reloaded when the file changes.
"""

import functools
import hashlib
import io
import os
from dataclasses import dataclass

from django.conf import settings
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter
from pyhanko.sign.general import SigningError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

SIGNATURE_FIELD = "TandaTanganLPSE"
# Room for the CMS signature container: one certificate and an ECDSA or
# RSA-4096 signature fit easily. Fixed, so pyHanko need not sign twice to size it.
BYTES_RESERVED = 8192


class SigningNotConfigured(Exception):  # noqa: N818 - reads as a sentence in logs
    pass


def _p12_identity() -> tuple[str, int, int, str]:
    path = settings.CERTIFICATE_P12_PATH
    try:
        stat = os.stat(path)
    except OSError:
        raise SigningNotConfigured(
            f"No signing key at {path}: run `manage.py create_signing_certificate` or set "
            "CERTIFICATE_P12_PATH to the office's PKCS#12 file."
        ) from None
    return path, stat.st_mtime_ns, stat.st_size, settings.CERTIFICATE_P12_PASSWORD


@functools.lru_cache(maxsize=4)
def _load(path: str, _mtime_ns: int, _size: int, password: str) -> signers.SimpleSigner:
    signer = signers.SimpleSigner.load_pkcs12(
        path, passphrase=password.encode() if password else None)
    if signer is None:  # pyHanko logs the reason and returns None
        raise SigningNotConfigured(
            f"Cannot read the signing key at {path}: wrong CERTIFICATE_P12_PASSWORD, or not "
            "a PKCS#12 file with a private key and a certificate."
        )
    return signer


def signer() -> signers.SimpleSigner:
    """The office's signer, loaded once per process (and again when the file changes)."""
    return _load(*_p12_identity())


def sign_pdf(pdf: bytes, *, reason: str, location: str, name: str = "") -> bytes:
    """A PAdES (B-B) certification signature over the whole document; returns the new bytes."""
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        reason=reason,
        location=location or None,
        name=name or None,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        certify=True,
        docmdp_permissions=MDPPerm.NO_CHANGES,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    try:
        out = signers.PdfSigner(meta, signer=signer()).sign_pdf(
            writer, bytes_reserved=BYTES_RESERVED)
    except SigningError as e:
        raise SigningNotConfigured(f"Signing failed: {e}") from e
    return out.getvalue()


@dataclass(frozen=True)
class SignatureCheck:
    """What the embedded signature says about a file."""

    ours: bool  # signed with our key
    intact: bool  # the signed bytes are unchanged and the signature is sound
    trusted: bool  # the signer's certificate chains to our signing certificate
    entire_file: bool  # nothing was appended after signing

    @property
    def valid(self) -> bool:
        return self.ours and self.intact and self.trusted and self.entire_file


NO_SIGNATURE = SignatureCheck(ours=False, intact=False, trusted=False, entire_file=False)


def _fingerprint(cert) -> bytes:
    return hashlib.sha256(cert.dump()).digest()


def signature_check(pdf: bytes) -> SignatureCheck:
    """Find our signature in ``pdf`` and validate it against our certificate as trust root.

    Raises whatever pyHanko raises for a file it cannot parse; the caller
    decides what an unreadable file means.
    """
    own = signer()
    own_certs = [own.signing_cert, *own.cert_registry]
    own_print = _fingerprint(own.signing_cert)
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    for embedded in reader.embedded_signatures:
        if _fingerprint(embedded.signer_cert) != own_print:
            continue
        context = ValidationContext(trust_roots=own_certs, allow_fetching=False)
        # Diff analysis judges *allowed* later changes; we allow none, and
        # coverage alone tells whether anything was appended.
        status = validate_pdf_signature(embedded, context, skip_diff=True)
        return SignatureCheck(
            ours=True,
            intact=bool(status.intact and status.valid),
            trusted=bool(status.trusted),
            entire_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        )
    return NO_SIGNATURE
