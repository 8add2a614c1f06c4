"""The certificate's PAdES signature: valid with our root, over the whole file, and fragile."""

import io

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from verifikasi.certificates import signing

from .conftest import certificate_bytes, flip_one_byte


def validate(pdf: bytes):
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    [embedded] = reader.embedded_signatures
    context = ValidationContext(trust_roots=[signing.signer().signing_cert])
    return validate_pdf_signature(embedded, context)


def test_it_validates_intact_trusted_and_covering_the_entire_file(certificate):
    status = validate(certificate_bytes(certificate))

    assert status.intact and status.valid
    assert status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.bottom_line


def test_it_is_signed_by_the_office(certificate):
    status = validate(certificate_bytes(certificate))
    assert "LPSE Kabupaten Ketapang" in status.signing_cert.subject.human_friendly


def test_it_fails_after_one_byte_of_the_page_content_is_changed(certificate):
    status = validate(flip_one_byte(certificate_bytes(certificate)))

    assert not status.intact
    assert not status.bottom_line


def test_our_check_reports_the_signature(certificate):
    pdf = certificate_bytes(certificate)

    assert signing.signature_check(pdf).valid
    altered = signing.signature_check(flip_one_byte(pdf))
    assert altered.ours and not altered.intact and not altered.valid


def test_it_stores_the_sha256_of_the_signed_file(certificate):
    import hashlib

    assert certificate.sha256 == hashlib.sha256(certificate_bytes(certificate)).hexdigest()


def test_it_reloads_the_key_when_the_file_is_replaced(settings, tmp_path, certificate):
    from django.core.management import call_command

    path = tmp_path / "other.p12"
    call_command("create_signing_certificate", "--name", "Kantor Lain", "--path", str(path),
                 stdout=io.StringIO())
    settings.CERTIFICATE_P12_PATH = str(path)

    assert "Kantor Lain" in signing.signer().signing_cert.subject.human_friendly
    # A certificate signed with another key is not "ours" any more.
    assert not signing.signature_check(certificate_bytes(certificate)).ours


def test_it_says_how_to_create_a_missing_key(settings, tmp_path):
    settings.CERTIFICATE_P12_PATH = str(tmp_path / "missing.p12")

    with pytest.raises(signing.SigningNotConfigured, match="create_signing_certificate"):
        signing.signer()


def test_it_reads_a_password_protected_key(settings, tmp_path):
    from django.core.management import call_command

    settings.CERTIFICATE_P12_PASSWORD = "rahasia-kantor"
    path = tmp_path / "protected.p12"
    call_command("create_signing_certificate", "--name", "LPSE Uji", "--path", str(path),
                 stdout=io.StringIO())
    settings.CERTIFICATE_P12_PATH = str(path)
    assert signing.signer() is not None

    settings.CERTIFICATE_P12_PASSWORD = "salah"
    with pytest.raises(signing.SigningNotConfigured, match="PASSWORD"):
        signing.signer()
