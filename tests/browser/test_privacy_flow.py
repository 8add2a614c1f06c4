"""UU PDP in Chromium: a vendor on a phone opens Data saya, downloads a copy of their data and
asks for deletion; the verifier (desktop) answers within the clock; the vendor sees the answer.
"""

import json
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, MOBILE, horizontal_overflow
from tests.browser.flows import login_staff, login_vendor
from tests.conftest import PASSWORD, TOTP_SECRET, run_worker
from tests.registrations.factories import (
    COMPANY,
    add_all_documents,
    give_consent,
    make_registration,
)
from verifikasi.privacy.models import DataRequest, RequestStatus
from verifikasi.registrations.models import Registration

pytestmark = pytest.mark.browser


def test_vendor_downloads_their_data_and_asks_for_deletion_staff_answer(
        new_page, server_lock, screenshot, vendor, verifier, office):
    registration = make_registration(vendor, office, status="submitted")
    add_all_documents(registration)
    give_consent(registration)

    phone = new_page(**MOBILE)
    login_vendor(phone, vendor.email, PASSWORD)
    phone.get_by_role("link", name="Data saya").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Data saya")
    main = phone.locator("main")
    expect(main).to_contain_text(COMPANY["company_name"])
    expect(main).to_contain_text("NIK ••••••••••••" + COMPANY["director_nik"][-4:])
    expect(main).not_to_contain_text(COMPANY["director_nik"])
    expect(main).to_contain_text("Berapa lama")
    assert horizontal_overflow(phone) == 0

    # A copy: asked for, built by the worker, downloaded as a ZIP.
    phone.get_by_role("button", name="Minta salinan data").click()
    expect(phone.locator(".msg-success")).to_contain_text("Salinan data Anda sedang disiapkan")
    with server_lock:
        run_worker()
    phone.reload()
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Unduh ZIP").click()
    archive = zipfile.ZipFile(Path(download.value.path()))
    data = json.loads(archive.read("data.json"))
    assert data["registrations"][0]["director_nik"] == COMPANY["director_nik"]
    assert any(name.startswith("dokumen/") for name in archive.namelist())

    # A deletion request: what goes now and what stays is shown before sending.
    expect(main).to_contain_text("Dihapus sekarang")
    phone.get_by_label("Penghapusan data").check()
    phone.get_by_role("button", name="Kirim permintaan").click()
    expect(phone.locator(".msg-success")).to_contain_text("paling lambat 3×24 jam")
    expect(phone.locator("#permintaan")).to_contain_text("Diterima, sedang ditinjau")
    assert horizontal_overflow(phone) == 0
    screenshot(phone, "privacy-vendor-data-saya")

    # The verifier answers from the office's queue, with the clock shown.
    desk = new_page(**DESKTOP)
    login_staff(desk, verifier.email, PASSWORD, TOTP_SECRET)
    desk.get_by_role("link", name="Permintaan data").click()
    expect(desk.locator("main table")).to_contain_text("71 jam")
    desk.get_by_role("link", name="Penghapusan data").click()
    desk.get_by_label("Dikabulkan").check()
    desk.get_by_label("Alasan (dikirim kepada pemohon)").fill(
        "Verifikasi Anda belum selesai, sehingga data dapat dihapus.")
    desk.get_by_role("button", name="Simpan keputusan dan kirim surat").click()
    expect(desk.locator(".msg-success")).to_contain_text("surat jawaban dikirim")
    expect(desk.locator("main")).to_contain_text("Dihapus sekarang")
    screenshot(desk, "privacy-staff-answer")

    with server_lock:
        data_request = DataRequest.objects.get()
        registration.refresh_from_db()
    assert data_request.status == RequestStatus.ANSWERED
    assert registration.status == "withdrawn"
    assert not Registration.objects.get(pk=registration.pk).director_nik

    phone.reload()
    expect(phone.locator("#permintaan")).to_contain_text("Sudah dijawab: Dikabulkan")
    phone.get_by_text("Surat jawaban").click()
    expect(phone.locator("#permintaan .letter")).to_contain_text("Dihapus sekarang")
