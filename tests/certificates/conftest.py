"""Certificate fixtures: one signing key for the whole session, issued certificates."""

import datetime
import io
import re

import pytest
from django.core.management import call_command

from tests.registrations.factories import add_all_documents, make_registration
from verifikasi.certificates.services import certificate_issue
from verifikasi.registrations.models import Registration

CALL_DATE = datetime.date(2026, 11, 20)


@pytest.fixture(scope="session")
def signing_p12(tmp_path_factory):
    """A PKCS#12 made by the real command (no database needed with --name)."""
    path = tmp_path_factory.mktemp("signing") / "certificate-signing.p12"
    call_command("create_signing_certificate", "--name", "LPSE Kabupaten Ketapang",
                 "--path", str(path), stdout=io.StringIO())
    return path


@pytest.fixture(autouse=True)
def signing_key(settings, signing_p12):
    settings.CERTIFICATE_P12_PATH = str(signing_p12)
    settings.CERTIFICATE_P12_PASSWORD = ""
    return signing_p12


@pytest.fixture
def registration_verified(vendor, office, verifier):
    """Passed the call (C.6) on CALL_DATE, with the verifier assigned."""
    registration_verified = make_registration(
        vendor, office, status="verified", assigned_to=verifier, call_held_on=CALL_DATE
    )
    add_all_documents(registration_verified)
    return registration_verified


def issue(registration_verified, **kwargs):
    kwargs.setdefault("call_date", CALL_DATE)
    return certificate_issue(registration=registration_verified, **kwargs)


@pytest.fixture
def certificate(registration_verified, verifier):
    """An issued certificate, its registration moved on as the lifecycle does (C.6.b)."""
    certificate = issue(registration_verified, actor=verifier)
    Registration.objects.filter(pk=registration_verified.pk).update(status="certificate_sent")
    registration_verified.refresh_from_db()
    return certificate


def certificate_bytes(certificate) -> bytes:
    with certificate.file.open("rb") as fh:
        return fh.read()


def content_stream_span(pdf: bytes) -> tuple[int, int]:
    """Byte offsets of the first page's content stream data (not the signature blob)."""
    page = re.search(rb"/Type /Page\b(?!s).*?/Contents (\d+) 0 R", pdf, re.S)
    assert page, "no page object with /Contents found"
    obj = re.search(rb"\n" + page.group(1) + rb" 0 obj\b.*?stream\r?\n", pdf, re.S)
    start = obj.end()
    end = pdf.index(b"endstream", start)
    return start, end


def flip_one_byte(pdf: bytes) -> bytes:
    start, end = content_stream_span(pdf)
    i = (start + end) // 2
    return pdf[:i] + bytes([pdf[i] ^ 0x01]) + pdf[i + 1:]
