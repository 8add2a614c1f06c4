"""Issue 19 in Chromium: the public service standard on a phone, a completed vendor fills
the SKM from their home page, and the office head reads the report and downloads the XLSX.
"""

import io

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, MOBILE, horizontal_overflow
from tests.browser.flows import login_staff, login_vendor
from tests.conftest import PASSWORD, TOTP_SECRET
from tests.registrations.factories import make_registration
from verifikasi.registrations import workflow
from verifikasi.survey.models import SurveyResponse

pytestmark = pytest.mark.browser

# The vendor's answers in the form (the regulation's words), U1..U9.
CHOICES = ["Sangat sesuai", "Mudah", "Cepat", "Gratis", "Sesuai", "Sangat kompeten",
           "Sangat sopan dan ramah", "Dikelola dengan baik", "Baik"]


def test_service_standard_survey_and_report(new_page, server_lock, screenshot, vendor,
                                            coordinator, office):
    phone = new_page(**MOBILE)
    phone.goto("/")
    phone.get_by_role("link", name="Standar pelayanan").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Standar pelayanan")
    main = phone.locator("main")
    expect(main).to_contain_text("Tidak dipungut biaya")
    expect(main).to_contain_text("SP4N-LAPOR!")
    assert horizontal_overflow(phone) == 0
    screenshot(phone, "24-standar-pelayanan")

    with server_lock:
        registration = make_registration(vendor, office, status="certificate_sent")
        workflow.transition(registration, "confirm_receipt", actor=vendor)
    login_vendor(phone, vendor.email, PASSWORD)
    phone.locator("#survei").get_by_role("link", name="Isi survei kepuasan").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Survei kepuasan masyarakat")
    for fieldset, choice in zip(phone.locator("main fieldset").all(), CHOICES, strict=True):
        fieldset.get_by_label(choice, exact=True).check()
    phone.get_by_label("Saran dan masukan").fill("Jam layanan video call diperpanjang.")
    assert horizontal_overflow(phone) == 0
    screenshot(phone, "25-survei")
    phone.get_by_role("button", name="Kirim penilaian").click()
    expect(phone.locator("main")).to_contain_text("Terima kasih")
    with server_lock:
        assert SurveyResponse.objects.count() == 1

    desk = new_page(**DESKTOP)
    login_staff(desk, coordinator.email, PASSWORD, TOTP_SECRET)
    desk.get_by_role("link", name="Survei kepuasan").click()
    main = desk.locator("main")
    expect(main).to_contain_text("1 responden")
    expect(main).to_contain_text("Jam layanan video call diperpanjang.")
    # (4+3+3+4+3+4+4+4+3) / 9 × 25 = 32/9 × 25 = 88.89 → A
    expect(main).to_contain_text("88,89")
    expect(main).to_contain_text("A (Sangat baik)")
    screenshot(desk, "26-laporan-survei")
    with desk.expect_download() as download:
        desk.get_by_role("link", name="Unduh XLSX").click()
    with open(download.value.path(), "rb") as fh:
        wb = openpyxl.load_workbook(io.BytesIO(fh.read()))
    values = [c for row in wb["Pengolahan Data"].iter_rows(values_only=True) for c in row]
    assert 88.89 in values and "A (Sangat baik)" in values
