"""C.3 in Chromium: the verifier's review, the vendor's fix, the second review.

The verifier (desktop, password + TOTP) finds the submitted registration in the queue by
its company name, marks the NPWP "Tidak terbaca / buram" with a note, accepts the KTP and
the NIB, records the blacklist check and sends the result. The vendor (a phone, in a
browser context of their own) reads the reason on the home page, re-uploads only the NPWP
(the accepted documents have no upload form) and resubmits. The verifier sees the NPWP
marked as re-uploaded, accepts everything, and the documents are accepted.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, MOBILE, horizontal_overflow
from tests.browser.flows import (
    decide_document,
    expect_status,
    login_staff,
    login_vendor,
    record_blacklist_clear,
    review_card,
    send_review_result,
)
from tests.conftest import PASSWORD, TOTP_SECRET, make_user
from tests.core import pdf_corpus as corpus
from tests.registrations.factories import COMPANY, ready_to_submit
from verifikasi.registrations.models import Registration
from verifikasi.registrations.services import registration_submit

pytestmark = pytest.mark.browser

NOTE = "Scan NPWP buram, nomor tidak terbaca. Mohon scan ulang dari kartu asli."


def submitted(vendor, office, **fields):
    registration = ready_to_submit(vendor, office, **fields)
    return registration_submit(registration=registration, actor=vendor)


def test_verifier_flags_the_npwp_and_the_vendor_fixes_only_that(
        new_page, server_lock, office, vendor, verifier, tmp_path, request):  # noqa: F811
    registration = submitted(vendor, office)
    # Someone else's registration in the same queue, so the search has something to hide.
    other = make_user("pemilik@ptlain.test", full_name="Siti Aminah")
    submitted(other, office, company_name="PT Lain Sejahtera", npwp="0927381930090000")

    # The verifier finds it in the queue by the company name.
    desk = new_page(**DESKTOP)
    login_staff(desk, verifier.email, PASSWORD, TOTP_SECRET)
    desk.goto("/verifikator/")
    queue = desk.locator("#queue-results")
    expect(queue.get_by_role("link", name="PT Lain Sejahtera")).to_be_visible()
    desk.get_by_label("Cari").fill("maju jaya")
    desk.get_by_label("Cari").press("Enter")
    expect(queue.get_by_role("link", name="PT Lain Sejahtera")).to_have_count(0)
    expect(queue.locator("tbody tr")).to_have_count(1)
    queue.get_by_role("link", name=COMPANY["company_name"]).click()
    expect(desk.get_by_role("heading", level=1)).to_have_text(COMPANY["company_name"])
    expect_status(desk, "Diajukan")

    # NPWP needs fixing; KTP and NIB are fine; the blacklist check is recorded; send.
    decide_document(desk, "npwp", accept=False, reasons=["Tidak terbaca / buram"], note=NOTE)
    decide_document(desk, "ktp")
    decide_document(desk, "nib")
    record_blacklist_clear(desk)
    send_review_result(desk)
    expect(desk.locator(".msg-success")).to_have_text(
        "Daftar perbaikan telah dikirim ke Pelaku Usaha.")
    expect_status(desk, "Perlu perbaikan")

    # The vendor, on a phone, reads exactly what to fix.
    phone = new_page(**MOBILE)
    login_vendor(phone, vendor.email, PASSWORD)
    expect_status(phone, "Perlu perbaikan")
    fixes = phone.locator("#perbaikan li")
    expect(fixes).to_have_count(1)
    expect(fixes).to_contain_text("NPWP: Tidak terbaca / buram")
    expect(fixes).to_contain_text(f"Catatan verifikator: {NOTE}")
    assert horizontal_overflow(phone) == 0

    # Only the NPWP can be replaced; the accepted KTP and NIB are locked.
    phone.locator("#perbaikan").get_by_role("link", name="Unggah ulang dokumen").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Dokumen persyaratan (Lampiran 1)")
    for code in ("ktp", "nib"):
        expect(phone.locator(f"#doc-{code}")).to_contain_text("Sudah diunggah")
        expect(phone.locator(f"#doc-{code} form.upload")).to_have_count(0)
    npwp = phone.locator("#doc-npwp")
    expect(npwp.locator("form.upload")).to_have_count(1)
    request.getfixturevalue("queue_worker")  # checks the new upload, as db_worker would
    phone.set_input_files("#files-npwp",
                          str(corpus.plain_pdf(tmp_path, pages=1, name="npwp-jelas.pdf")))
    npwp.get_by_role("button", name="Unggah").click()
    expect(phone.locator("#doc-npwp .doc-version")).to_contain_text("Versi 2", timeout=20_000)

    # Resubmit.
    phone.goto("/beranda/")
    phone.locator("#perbaikan").get_by_role("link", name="Ajukan kembali").click()
    expect(phone.locator(".problems")).to_have_count(0)
    phone.get_by_role("button", name="Ajukan kembali ke verifikator").click()
    expect(phone.locator(".msg-success")).to_have_text(
        "Perbaikan berhasil diajukan kembali ke verifikator.")
    expect_status(phone, "Diajukan")
    expect(phone.locator("#perbaikan")).to_have_count(0)
    assert horizontal_overflow(phone) == 0

    # The verifier sees what changed and accepts everything.
    desk.reload()
    expect_status(desk, "Diajukan")
    expect(desk.locator("main")).to_contain_text("Pemeriksaan ke-1")
    expect(review_card(desk, "npwp")).to_contain_text(
        "Diunggah ulang sejak pemeriksaan sebelumnya")
    expect(review_card(desk, "npwp")).to_contain_text("Versi 2")
    for code in ("ktp", "nib"):
        expect(review_card(desk, code)).not_to_contain_text("Diunggah ulang")
    for code in ("ktp", "npwp", "nib"):
        decide_document(desk, code)
    send_review_result(desk)
    expect(desk.locator(".msg-success")).to_have_text(
        "Semua dokumen diterima. Lanjutkan dengan penjadwalan.")
    expect_status(desk, "Dokumen diterima")
    expect(desk.get_by_role("link", name="Jadwal verifikasi")).to_be_visible()

    with server_lock:  # the page images may still be loading
        registration.refresh_from_db()
        assert registration.status == "documents_accepted"
        assert registration.assigned_to == verifier
        assert registration.review_round == 1
        assert Registration.objects.get(vendor=other).status == "submitted"
