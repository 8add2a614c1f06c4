"""Uploading a PDF to learn whether it is an unaltered certificate we issued."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from tests.registrations.factories import pdf_bytes
from verifikasi.certificates import views
from verifikasi.certificates.checking import MAX_CHECK_BYTES, CheckState, certificate_verify_pdf
from verifikasi.certificates.models import Certificate
from verifikasi.certificates.services import certificate_revoke

from .conftest import certificate_bytes, flip_one_byte


def upload(client, data: bytes, *, name="tanda-lulus.pdf", url=None):
    url = url or reverse("certificate_check_upload")
    return client.post(url, {"file": SimpleUploadedFile(name, data, "application/pdf")})


def state_of(response) -> str | None:
    ctx = response.context
    return ctx["result"].state if ctx.get("result") else None


def test_the_original_pdf_is_valid(client, certificate):
    response = upload(client, certificate_bytes(certificate))

    assert response.status_code == 200
    assert state_of(response) == CheckState.VALID
    html = response.content.decode()
    assert "Asli dan utuh" in html
    assert certificate.number in html


def test_it_works_on_the_qr_page_too(client, certificate):
    url = reverse("certificate_check", args=[certificate.code])
    response = upload(client, certificate_bytes(certificate), url=url)

    assert state_of(response) == CheckState.VALID


def test_a_revoked_certificate_is_reported_revoked(client, certificate, coordinator):
    certificate_revoke(
        reason_category="data_error",
        certificate=certificate, actor=coordinator, reason="Data salah")

    response = upload(client, certificate_bytes(certificate))

    assert state_of(response) == CheckState.REVOKED
    html = response.content.decode()
    assert "DICABUT" in html
    # The same as /cek/<code>/ says: the date (office time) and the category (issue 13).
    revoked = timezone.localtime(Certificate.objects.get(pk=certificate.pk).revoked_at,
                                 certificate.office.tzinfo)
    assert f"DICABUT pada {date_format(revoked, 'j F Y')} (Kesalahan data pada tanda lulus)" \
        in html
    assert "Data salah" not in html


def test_one_altered_byte_is_reported_altered(client, certificate):
    response = upload(client, flip_one_byte(certificate_bytes(certificate)))

    assert state_of(response) == CheckState.ALTERED
    html = response.content.decode()
    assert "telah diubah" in html
    # It names the certificate the copy claims to be, with the true facts.
    assert certificate.number in html


def test_an_incremental_update_after_signing_is_reported_altered(certificate):
    from pyhanko.pdf_utils.generic import pdf_string

    original = certificate_bytes(certificate)
    writer = IncrementalPdfFileWriter(io.BytesIO(original))
    writer.root["/Lang"] = pdf_string("en")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    assert out.getvalue().startswith(original) and len(out.getvalue()) > len(original)

    result = certificate_verify_pdf(io.BytesIO(out.getvalue()))

    assert result.state == CheckState.ALTERED
    assert result.certificate == certificate


def test_a_truncated_copy_is_reported_altered(certificate):
    data = certificate_bytes(certificate)

    result = certificate_verify_pdf(io.BytesIO(data[: len(data) // 2]))

    assert result.state == CheckState.ALTERED


def test_an_unrelated_pdf_is_unknown(client, certificate):
    response = upload(client, pdf_bytes("Surat lain"))

    assert state_of(response) == CheckState.UNKNOWN
    assert "tidak ada dalam catatan kami" in response.content.decode()


def test_a_pdf_signed_by_us_but_never_issued_is_unknown(certificate):
    from verifikasi.certificates.signing import sign_pdf

    signed = sign_pdf(pdf_bytes("Bukan tanda lulus"), reason="uji", location="Ketapang")

    assert certificate_verify_pdf(io.BytesIO(signed)).state == CheckState.UNKNOWN


def test_a_non_pdf_gets_a_clear_message(client, certificate):
    response = upload(client, b"\x89PNG\r\n\x1a\n" + b"\0" * 100, name="foto.png")

    assert response.status_code == 200
    assert state_of(response) == CheckState.NOT_A_PDF
    assert "bukan PDF" in response.content.decode()


def test_garbage_after_a_pdf_header_gets_a_clear_message(client, certificate):
    response = upload(client, b"%PDF-1.7\n" + b"\xff" * 500)

    assert response.status_code == 200
    assert state_of(response) == CheckState.NOT_A_PDF


def test_an_empty_post_asks_for_a_file(client, certificate):
    response = client.post(reverse("certificate_check_upload"), {})

    assert response.status_code == 200
    assert "Pilih berkas PDF" in response.content.decode()


def test_a_file_over_the_limit_gets_a_clear_message_and_is_not_stored(
        client, certificate, monkeypatch):
    seen = []
    monkeypatch.setattr(views.checking, "certificate_verify_pdf",
                        lambda f: seen.append(f) or None)
    response = upload(client, b"%PDF-1.7\n" + b"0" * MAX_CHECK_BYTES)

    assert response.status_code == 200
    html = response.content.decode()
    assert "terlalu besar" in html
    assert "Pilih berkas PDF" not in html
    assert seen == []  # refused before any check


def test_the_upload_handler_stops_storing_past_the_limit(rf):
    from django.core.files.uploadhandler import SkipFile

    request = rf.post("/cek/")
    handler = views.BoundedUploadHandler(request)
    handler.new_file("file", "x.pdf", "application/pdf", None)

    assert handler.receive_data_chunk(b"a" * 10, 0) == b"a" * 10
    with pytest.raises(SkipFile):
        handler.receive_data_chunk(b"a" * 10, MAX_CHECK_BYTES - 5)
    assert request.certificate_upload_too_large


def test_the_service_reads_no_more_than_the_limit():
    class Endless(io.RawIOBase):
        reads = 0

        def readable(self):
            return True

        def read(self, n=-1):
            self.reads += 1
            return b"%" * (n if n and n > 0 else 65536)

    stream = Endless()
    assert certificate_verify_pdf(stream).state == CheckState.TOO_LARGE
    assert stream.reads <= MAX_CHECK_BYTES // 65536 + 1


def test_the_upload_is_csrf_protected(certificate):
    client = Client(enforce_csrf_checks=True)

    response = upload(client, certificate_bytes(certificate))

    assert response.status_code == 403


def test_uploads_are_rate_limited_per_ip(client, certificate, monkeypatch):
    monkeypatch.setattr(views, "CHECK_RATE_LIMIT", 2)
    data = pdf_bytes("Surat lain")

    assert [upload(client, data).status_code for _ in range(2)] == [200, 200]
    response = upload(client, data)

    assert response.status_code == 429
    assert "Terlalu banyak pemeriksaan" in response.content.decode()
    other_ip = client.post(reverse("certificate_check_upload"),
                           {"file": SimpleUploadedFile("a.pdf", data)}, REMOTE_ADDR="10.0.0.9")
    assert other_ip.status_code == 200


@pytest.mark.parametrize("url_name", ["certificate_check_upload"])
def test_the_upload_page_has_only_the_form(client, url_name, certificate):
    response = client.get(reverse(url_name))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert certificate.number not in html
