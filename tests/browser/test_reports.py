"""The office head's reports in Chromium: log in with TOTP, open Laporan on the demo's
history, see the tables and the server-drawn charts (no CSP complaint), download a table."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, horizontal_overflow
from tests.browser.flows import login_staff
from tests.conftest import PASSWORD, TOTP_SECRET
from verifikasi.reports.demo import demo_history

pytestmark = pytest.mark.browser


def test_the_office_head_reads_the_reports_and_downloads_a_table(
        new_page, server_lock, office, coordinator, verifier, screenshot):
    demo_history(office=office, count=150)
    page = new_page(**DESKTOP)
    login_staff(page, coordinator.email, PASSWORD, TOTP_SECRET)

    page.get_by_role("link", name="Laporan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Laporan kantor")
    for title in ["Jumlah per periode", "Waktu penyelesaian (hari)",
                  "Antrean terbuka menurut status dan umur", "Per verifikator",
                  "Alasan perbaikan terbanyak per jenis dokumen",
                  "Jarak pemesanan jadwal sebelum video call"]:
        expect(page.get_by_role("heading", name=title, level=2)).to_be_visible()
    expect(page.locator("svg.chart")).to_have_count(3)
    expect(page.get_by_role("img", name="Diajukan dan tanda lulus terbit per periode")) \
        .to_be_visible()
    assert horizontal_overflow(page) == 0
    screenshot(page, "28-laporan")

    page.get_by_label("Dikelompokkan per").select_option("week")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.locator("#laporan-throughput tbody tr").first).to_contain_text("-W")

    with page.expect_download() as download:
        page.locator("#laporan-turnaround").get_by_role("link", name="Unduh XLSX").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    assert [c.value for c in sheet[4]][:4] == ["Tahap", "Pendaftaran", "Median",
                                             "Persentil ke-90"]
