"""Section B end to end on a cheap phone: sign up, company data, documents, submit.

A new vendor signs up (B.1–B.3, with the mandatory email verification), enters the company
data (B.2, B.7), uploads every document that applies (B.4–B.6) — one as two camera photos,
one by drag and drop, one with the file picker after a refused file — sees each upload
"sedang diperiksa" and then the worker's verdict without reloading, the thumbnails the
worker draws, gives consent and submits (B.8). The worker runs beside the live server
(``queue_worker``), as ``manage.py db_worker`` runs beside gunicorn.
"""

import base64
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import horizontal_overflow
from tests.conftest import PASSWORD as VENDOR_PASSWORD
from tests.core import pdf_corpus as corpus
from tests.registrations.factories import COMPANY, make_registration
from verifikasi.core.pdfcheck import MESSAGES
from verifikasi.notifications.models import OutboundEmail
from verifikasi.registrations.models import Document, DocumentCheck, Registration

EMAIL = "direktur@cvmajujaya.test"
PASSWORD = "Rahasia-Perusahaan-2025"

# Counts how often an upload's progress bar is shown (upload.js unhides it on htmx:beforeRequest).
WATCH_PROGRESS = """
window.progressShown = 0;
new MutationObserver((changes) => {
  for (const change of changes) {
    if (change.target.classList.contains("upload-progress") && !change.target.hidden) {
      window.progressShown += 1;
    }
  }
}).observe(document.body, {attributes: true, subtree: true, attributeFilter: ["hidden"]});
"""

# Drops a PDF on a card's drop zone the way a desktop browser does (a DataTransfer of files).
DROP_FILE = """
([selector, b64, name]) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, {type: "application/pdf"}));
  const zone = document.querySelector(selector);
  zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: transfer, bubbles: true,
                                                cancelable: true}));
  zone.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true,
                                            cancelable: true}));
}
"""


def sign_up_and_confirm(page):
    page.goto("/akun/signup/")
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.locator("main").get_by_role("button", name="Daftar").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    # The verification email is in the outbox (the worker would send it): open its link.
    email = OutboundEmail.objects.get(to=[EMAIL])
    link = re.search(r"https?://\S+/akun/confirm-email/\S+/", email.body_text)[0]
    page.goto(urlsplit(link).path)
    page.locator("main form").get_by_role("button").click()
    expect(page.get_by_role("button", name="Mulai pendaftaran verifikasi")).to_be_visible()


def fill_company_form(page, screenshot):
    page.select_option("select[name=business_form]", COMPANY["business_form"])
    page.fill("input[name=company_name]", COMPANY["company_name"])
    page.fill("input[name=npwp]", "01.300.066.6-091.000")
    page.fill("input[name=nib]", COMPANY["nib"])
    page.fill("input[name=spse_user_id]", COMPANY["spse_user_id"])
    page.fill("textarea[name=address]", COMPANY["address"])
    page.select_option("select[name=province]", COMPANY["province"])
    page.fill("input[name=regency]", COMPANY["regency"])
    page.fill("input[name=postal_code]", COMPANY["postal_code"])
    page.fill("input[name=phone]", "0812 3456 7890")
    page.fill("input[name=email]", COMPANY["email"])
    page.fill("input[name=director_name]", COMPANY["director_name"])
    page.fill("input[name=director_nik]", COMPANY["director_nik"])
    assert horizontal_overflow(page) == 0
    screenshot(page, "vendor-company-form")
    page.get_by_role("button", name="Simpan dan lanjut ke dokumen").click()


def card(page, code):
    return page.locator(f"#doc-{code}")


@pytest.mark.browser
def test_a_new_vendor_signs_up_uploads_from_a_phone_and_submits(
        mobile_page, screenshot, tmp_path, request, server_lock):
    page = mobile_page

    sign_up_and_confirm(page)
    request.getfixturevalue("queue_worker")  # from here on the worker checks the uploads
    page.get_by_role("button", name="Mulai pendaftaran verifikasi").click()
    fill_company_form(page, screenshot)

    expect(page.get_by_role("heading", level=1)).to_have_text("Dokumen persyaratan (Lampiran 1)")
    expect(page.locator("section.document")).to_have_count(3)  # KTP, NPWP, NIB
    assert horizontal_overflow(page) == 0
    page.evaluate("window.samePage = true")
    page.evaluate(WATCH_PROGRESS)

    # KTP: two photos from the phone camera make one two-page document.
    photos = [corpus.photo_jpeg(tmp_path, "ktp-depan.jpg"),
              corpus.photo_jpeg(tmp_path, "ktp-belakang.jpg")]
    page.set_input_files("#camera-ktp", [str(p) for p in photos])
    expect(card(page, "ktp").locator(".upload-chosen")).to_contain_text("ktp-belakang.jpg")
    card(page, "ktp").get_by_role("button", name="Unggah").click()
    expect(card(page, "ktp")).to_contain_text("Sedang diperiksa")
    # The card asks every second; the worker's verdict replaces it, without a reload.
    expect(card(page, "ktp")).to_contain_text("Sudah diunggah", timeout=20_000)
    expect(card(page, "ktp")).not_to_contain_text("Sedang diperiksa")
    expect(card(page, "ktp")).to_contain_text("2 halaman")
    expect(card(page, "ktp")).to_contain_text("dari foto")

    # NPWP: a web page saved as .pdf is refused with its message; then the real PDF.
    page.set_input_files("#files-npwp", str(corpus.html_named_pdf(tmp_path)))
    card(page, "npwp").get_by_role("button", name="Unggah").click()
    expect(card(page, "npwp").get_by_role("alert")).to_contain_text(MESSAGES["not_pdf"],
                                                                     timeout=20_000)
    expect(card(page, "npwp")).to_contain_text("Berkas versi 1 ditolak.")
    expect(card(page, "npwp")).to_contain_text("Belum diunggah")
    page.set_input_files("#files-npwp", str(corpus.plain_pdf(tmp_path, pages=1, name="npwp.pdf")))
    card(page, "npwp").get_by_role("button", name="Unggah").click()
    expect(card(page, "npwp")).to_contain_text("Sudah diunggah", timeout=20_000)

    # NIB: dragged onto the card's drop zone.
    nib = corpus.plain_pdf(tmp_path, pages=2, name="nib.pdf").read_bytes()
    page.evaluate(DROP_FILE,
                  ["#doc-nib [data-dropzone]", base64.b64encode(nib).decode(), "nib.pdf"])
    expect(card(page, "nib").locator(".upload-chosen")).to_contain_text("nib.pdf")
    card(page, "nib").get_by_role("button", name="Unggah").click()
    expect(card(page, "nib")).to_contain_text("Sudah diunggah", timeout=20_000)
    expect(card(page, "nib")).to_contain_text("2 halaman")

    # All of it through htmx: the page was never reloaded, and the progress bar showed.
    assert page.evaluate("window.samePage") is True
    assert page.evaluate("window.progressShown") >= 4
    with server_lock:
        registration = Registration.objects.get(vendor__email=EMAIL)
        documents = Document.objects.filter(registration=registration)
        assert documents.filter(check_state=DocumentCheck.ACCEPTED).count() == 3
        assert documents.filter(check_state=DocumentCheck.REFUSED).count() == 1
    assert horizontal_overflow(page) == 0

    # The worker draws the thumbnails after each check; the cards ask for them.
    page.goto(f"/pendaftaran/{registration.code}/dokumen/")
    thumbnails = page.locator(".doc-thumb img")
    expect(thumbnails).to_have_count(3, timeout=20_000)
    for i in range(3):
        expect(thumbnails.nth(i)).to_be_visible()
        assert thumbnails.nth(i).evaluate("img => img.complete && img.naturalWidth") == 300
    assert horizontal_overflow(page) == 0
    screenshot(page, "vendor-documents")

    # B.8: propose two dates, consent to the privacy notice, submit, see it on the home page.
    page.get_by_role("link", name="Lanjut: ajukan pendaftaran").click()
    page.get_by_role("link", name="Pilih usulan jadwal").click()
    slots = page.locator("input[name=slots]")
    slots.nth(0).check()
    slots.nth(3).check()
    assert horizontal_overflow(page) == 0
    page.get_by_role("button", name="Simpan usulan jadwal").click()
    expect(page.get_by_text("Usulan jadwal Anda:")).to_be_visible()
    page.get_by_label(re.compile("Saya telah membaca pemberitahuan privasi")).check()
    page.get_by_role("button", name="Setujui dan ajukan pendaftaran").click()
    expect(page.locator(".badge", has_text="Diajukan")).to_be_visible()
    assert horizontal_overflow(page) == 0
    screenshot(page, "vendor-home-submitted")
    with server_lock:
        registration.refresh_from_db()
    assert registration.status == "submitted"


def reload_until(page, locator, text: str, seconds: float = 20) -> None:
    """Without JavaScript nothing asks for the verdict: the vendor reloads the page."""
    for _ in range(int(seconds / 0.5)):
        if text in locator.inner_text():
            return
        page.wait_for_timeout(500)
        page.reload()
    expect(locator).to_contain_text(text)


@pytest.mark.browser
def test_the_upload_form_works_without_javascript(new_page, vendor, office, tmp_path,
                                                  request):
    registration = make_registration(vendor, office)
    # The worker starts after the setup: on SQLite's shared in-memory database a worker pass
    # running beside the test's own insert fails it with "database table is locked".
    request.getfixturevalue("queue_worker")
    page = new_page(java_script_enabled=False, viewport={"width": 360, "height": 740},
                    locale="id-ID")
    page.goto("/akun/login/")
    page.fill("input[name=login]", vendor.email)
    page.fill("input[name=password]", VENDOR_PASSWORD)
    page.locator("main form").get_by_role("button", name="Masuk").click()
    page.goto(f"/pendaftaran/{registration.code}/dokumen/")

    # Refused at once (nothing chosen): the message at the top of the page, naming the document.
    card(page, "ktp").get_by_role("button", name="Unggah").click()
    expect(page.locator(".messages")).to_contain_text("KTP: Belum ada berkas yang dipilih.")

    # Refused by the check: sent, "sedang diperiksa", and after a reload the reason.
    page.set_input_files("#files-ktp", str(corpus.zip_named_pdf(tmp_path)))
    card(page, "ktp").get_by_role("button", name="Unggah").click()
    expect(page.locator(".messages")).to_contain_text(
        "KTP terkirim (versi 1) dan sedang diperiksa.")
    reload_until(page, card(page, "ktp"), MESSAGES["not_pdf"])
    expect(card(page, "ktp")).to_contain_text("Belum diunggah")

    # A good one: back on the page (at the card), and after the check, uploaded.
    page.set_input_files("#files-ktp", str(corpus.plain_pdf(tmp_path, pages=2)))
    card(page, "ktp").get_by_role("button", name="Unggah").click()
    expect(page).to_have_url(re.compile(r"/dokumen/#doc-ktp$"))
    expect(page.locator(".messages")).to_contain_text("KTP terkirim (versi 2)")
    reload_until(page, card(page, "ktp"), "Sudah diunggah")
    expect(card(page, "ktp")).to_contain_text("2 halaman")
    assert horizontal_overflow(page) == 0
