"""C.6–C.10 in Chromium: from "lulus verifikasi" to "selesai".

The verifier (desktop, password + TOTP) records the approval in SPSE; the certificate is
issued, signed and emailed at once. The vendor (a phone) downloads it from the home page,
follows its QR code to the public check page (valid, and the downloaded file checks out
as unaltered), then confirms receipt and the procedure is complete.
"""

import io
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, MOBILE, horizontal_overflow
from tests.browser.flows import (
    expect_status,
    login_staff,
    login_vendor,
    qr_texts_in_pdf,
)
from tests.conftest import PASSWORD, TOTP_SECRET
from tests.registrations.factories import COMPANY, add_all_documents, make_registration
from verifikasi.certificates.models import Certificate
from verifikasi.notifications.models import OutboundEmail

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def signing_p12(tmp_path_factory):
    """The office's signing key, made by the real command (no database needed with --name)."""
    path = tmp_path_factory.mktemp("signing") / "certificate-signing.p12"
    call_command("create_signing_certificate", "--name", "LPSE Kabupaten Ketapang",
                 "--path", str(path), stdout=io.StringIO())
    return path


@pytest.fixture
def verified(settings, signing_p12, office, vendor, verifier):
    """A registration whose video call passed today (C.6)."""
    settings.CERTIFICATE_P12_PATH = str(signing_p12)
    settings.CERTIFICATE_P12_PASSWORD = ""
    registration = make_registration(vendor, office, status="verified", assigned_to=verifier,
                                     call_held_on=timezone.localdate())
    add_all_documents(registration)
    return registration


def test_spse_approval_certificate_check_and_receipt(new_page, server_lock,  # noqa: F811
                                                      verified, vendor, verifier):
    registration = verified

    # C.6.a: the verifier approved the account in SPSE and records it; C.6.b follows.
    desk = new_page(**DESKTOP)
    login_staff(desk, verifier.email, PASSWORD, TOTP_SECRET)
    desk.goto(f"/verifikator/{registration.code}/#hasil")
    outcome = desk.locator("#hasil")
    expect(outcome.get_by_label("User ID SPSE yang disetujui")).to_have_value(
        COMPANY["spse_user_id"])
    outcome.get_by_role("button", name="Catat persetujuan SPSE").click()
    expect_status(desk, "Lulus verifikasi")  # the confirmation box is required
    outcome.get_by_label("Saya sudah menyetujui pendaftaran akun ini di aplikasi SPSE.").check()
    outcome.get_by_role("button", name="Catat persetujuan SPSE").click()
    expect(desk.locator(".msg-success")).to_have_text(
        "Tanda lulus verifikasi diterbitkan dan dikirim ke email Pelaku Usaha.")
    expect_status(desk, "Tanda lulus dikirim")
    expect(outcome).to_contain_text("Disetujui di SPSE")
    expect(outcome).to_contain_text(f"User ID {COMPANY['spse_user_id']}")
    with server_lock:
        certificate = Certificate.objects.get(registration=registration)
        email = OutboundEmail.objects.get(template="certificate_issued")
    expect(outcome).to_contain_text(f"Nomor {certificate.number}")
    assert email.to == [vendor.email]
    assert [a["mimetype"] for a in email.attachments] == ["application/pdf"]

    # The vendor downloads it from the home page.
    phone = new_page(**MOBILE)
    login_vendor(phone, vendor.email, PASSWORD)
    expect_status(phone, "Tanda lulus dikirim")
    expect(phone.locator("main")).to_contain_text(
        f"Selamat! Anda lulus verifikasi. Tanda lulus verifikasi nomor {certificate.number}")
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Unduh tanda lulus (PDF)").click()
    pdf_path = Path(download.value.path())
    pdf = pdf_path.read_bytes()
    assert pdf.startswith(b"%PDF-")

    # Its QR code leads to the public check page: valid, and the file is unaltered.
    (check_url,) = qr_texts_in_pdf(pdf)
    assert urlsplit(check_url).path == f"/cek/{certificate.code}/"
    phone.goto(urlsplit(check_url).path)
    expect(phone.locator(".msg-success")).to_have_text(
        "Tanda lulus ini diterbitkan oleh LPSE Kabupaten Ketapang dan masih berlaku.")
    facts = phone.locator("dl.meta")
    expect(facts).to_contain_text(certificate.number)
    expect(facts).to_contain_text(COMPANY["company_name"])
    expect(facts.locator(".badge")).to_have_text("Berlaku")
    assert horizontal_overflow(phone) == 0
    phone.set_input_files("input[type=file]", str(pdf_path))
    phone.get_by_role("button", name="Periksa berkas").click()
    expect(phone.locator("#check-result")).to_have_attribute("data-state", "valid")

    # C.7, C.9, C.10: the vendor confirms receipt and the procedure is complete.
    phone.goto("/beranda/")
    phone.get_by_role("button", name="Saya sudah menerima tanda lulus verifikasi").click()
    expect(phone.locator(".msg-success").first).to_have_text(
        "Terima kasih. Proses verifikasi Anda telah selesai.")
    expect(phone.get_by_text("Proses verifikasi selesai.")).to_be_visible()
    expect_status(phone, "Selesai")
    expect(phone.get_by_role("button", name="Saya sudah menerima tanda lulus verifikasi")) \
        .to_have_count(0)
    assert horizontal_overflow(phone) == 0

    desk.reload()
    expect_status(desk, "Selesai")
    expect(desk.locator("#hasil")).to_contain_text("diterima Pelaku Usaha")
    with server_lock:
        registration.refresh_from_db()
        certificate.refresh_from_db()
    assert registration.status == "completed"
    assert certificate.receipt_confirmed_at is not None
