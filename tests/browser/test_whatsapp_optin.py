"""A vendor on a phone opts in to WhatsApp notifications (issue 20): a wrong number is a
clear Indonesian error, a right one is stored as +62…, and they can stop again."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import MOBILE, horizontal_overflow
from tests.browser.flows import login_vendor
from tests.conftest import PASSWORD
from verifikasi.whatsapp.models import WhatsAppContact

pytestmark = pytest.mark.browser


def test_vendor_opts_in_and_out_of_whatsapp(new_page, server_lock, screenshot, vendor):
    phone = new_page(**MOBILE)
    login_vendor(phone, vendor.email, PASSWORD)
    phone.get_by_role("link", name="WhatsApp").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Pemberitahuan WhatsApp")
    expect(phone.locator("main")).to_contain_text("Tidak aktif")

    phone.get_by_label("Nomor WhatsApp").fill("0561 733 500")  # a landline
    phone.get_by_label("Saya bersedia menerima pemberitahuan verifikasi melalui WhatsApp").check()
    phone.get_by_role("button", name="Simpan").click()
    expect(phone.locator(".has-error")).to_contain_text("Nomor WhatsApp tidak valid")
    with server_lock:
        assert not WhatsAppContact.objects.exists()

    phone.get_by_label("Nomor WhatsApp").fill("0812 3456 7890")
    phone.get_by_role("button", name="Simpan").click()
    expect(phone.locator(".msg-success")).to_contain_text("Pengaturan WhatsApp disimpan")
    expect(phone.locator("main")).to_contain_text("Pemberitahuan dikirim ke +6281234567890")
    assert horizontal_overflow(phone) == 0
    screenshot(phone, "29-whatsapp")

    phone.get_by_label("Saya bersedia menerima pemberitahuan verifikasi melalui WhatsApp") \
        .uncheck()
    phone.get_by_role("button", name="Simpan").click()
    expect(phone.locator(".msg-success")).to_contain_text("tidak akan menerima")
    with server_lock:
        assert WhatsAppContact.objects.get(user=vendor).opted_in is False
