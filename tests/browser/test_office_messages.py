"""Teks email in Chromium: the office admin previews a refused text, fixes it, saves it,
sees its history, and reverts to the default."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, horizontal_overflow
from tests.browser.flows import login_staff
from tests.conftest import PASSWORD, TOTP_SECRET
from verifikasi.notifications.models import OfficeMessage

pytestmark = pytest.mark.browser


def test_the_office_admin_edits_previews_and_reverts_an_email_text(
        new_page, server_lock, office, admin_user, screenshot, browser_problems):
    browser_problems.allow(r"status of 400")  # the refused text is answered with a 400
    page = new_page(**DESKTOP)
    login_staff(page, admin_user.email, PASSWORD, TOTP_SECRET)

    page.get_by_role("link", name="Teks email").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Teks email")
    # The WhatsApp app names its templates beside the emails (read-only).
    expect(page.locator("main")).to_contain_text("verifikasi_perbaikan_dokumen")
    page.get_by_role("link", name="Perbaikan dokumen diperlukan").click()
    body = page.get_by_label("Isi email")
    assert "{{ registration.company_name }}" in page.get_by_label("Subjek").input_value()

    body.fill("Yth. {{ registration.director_name }},\n{{ registration.vendor.email }}")
    page.get_by_role("button", name="Pratinjau").click()
    expect(page.get_by_role("alert")).to_contain_text(
        'Variabel "registration.vendor.email" tidak tersedia untuk email ini (baris 2)')

    page.get_by_label("Isi email").fill(
        "Yth. {{ registration.director_name }},\n\nMohon perbaiki:\n"
        "{% for d in deficiencies %}- {{ d.subject }}: {{ d.reasons|join:'; ' }}\n{% endfor %}"
        "\nPerbaiki di {{ home_url }}\n\n{{ office.name }}")
    page.get_by_role("button", name="Pratinjau").click()
    expect(page.locator(".email-body").first).to_contain_text("- NIB: Dokumen tidak terbaca")
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Teks email tersimpan.")
    page.locator("details summary").first.click()
    screenshot(page, "22-pesan")
    assert horizontal_overflow(page) == 0

    page.get_by_role("button", name="Kembalikan ke teks bawaan").click()
    expect(page.locator(".messages")).to_contain_text("Teks email dikembalikan ke bawaan.")
    with server_lock:
        assert not OfficeMessage.objects.exists()
