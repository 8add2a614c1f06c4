"""The breach register in Chromium: the office head records an incident, sees the clock,
sends the drafted notice to the office's vendors through the outbox, and records the letter
to the authority."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, horizontal_overflow
from tests.browser.flows import login_staff
from tests.conftest import PASSWORD, TOTP_SECRET
from tests.registrations.factories import make_registration
from verifikasi.incidents.models import Incident, IncidentRecipient

pytestmark = pytest.mark.browser


def test_the_office_head_records_an_incident_and_notifies_the_vendors(
        new_page, server_lock, office, coordinator, vendor, screenshot):
    make_registration(vendor, office, status="completed")
    page = new_page(**DESKTOP)
    login_staff(page, coordinator.email, PASSWORD, TOTP_SECRET)

    page.get_by_role("link", name="Insiden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register insiden data pribadi")
    page.get_by_role("link", name="Catat insiden").click()
    now = timezone.localtime()
    page.get_by_label("Judul singkat").fill("Rekap berisi KTP terkirim ke alamat salah")
    # Three hours before it became known: valid at any time of day (also just after midnight).
    page.get_by_label("Waktu kejadian").fill(
        (now - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Waktu diketahui").fill(now.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Identitas: nama, NIK dan pindaian KTP").check()
    page.get_by_label("Perkiraan jumlah orang terdampak").fill("1")
    page.get_by_label("Uraian kejadian").fill("Email rekap terkirim ke alamat di luar kantor.")
    page.get_by_label("Penanganan dan pemulihan").fill("Penerima diminta menghapus email.")
    page.get_by_role("button", name="Simpan").click()

    expect(page.locator("#tenggat .badge")).to_have_text(re.compile(r"^sisa (71|72) jam"))
    screenshot(page, "incident-detail")
    assert horizontal_overflow(page) == 0

    page.get_by_role("link", name="periksa dan kirim").click()
    body = page.get_by_label("Isi pemberitahuan")
    expect(body).to_contain_text("Email rekap terkirim ke alamat di luar kantor.")
    expect(page.get_by_label(re.compile(r"Semua Pelaku Usaha .* \(1\)"))).to_be_checked()
    page.get_by_label("Saya sudah memeriksa isi dan penerima pemberitahuan ini.").check()
    page.get_by_role("button", name="Kirim pemberitahuan").click()
    expect(page.locator(".messages")).to_contain_text("kotak keluar untuk 1 orang")
    expect(page.locator("main")).to_contain_text(vendor.email)

    page.get_by_role("link", name="periksa, unduh dan catat pengirimannya").click()
    page.get_by_label("Nomor surat atau bukti kirim").fill("B-7/LPSE/2026")
    page.get_by_role("button", name="Catat tanggal kirim").click()
    expect(page.locator("#tenggat .badge")).to_have_text(
        "kedua pemberitahuan terkirim tepat waktu")

    with server_lock:
        incident = Incident.objects.get()
        assert incident.authority_reference == "B-7/LPSE/2026"
        assert IncidentRecipient.objects.get().email == vendor.email
