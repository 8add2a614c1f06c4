"""C.4–C.6 and C.8 in Chromium: the verifier runs the recorded video call from the call
screen, once to a pass and once to "belum sesuai".

Each registration is scheduled through the real scheduling services at the first free
time (at least a working day ahead) of an office on Jitsi, so its call link exists at
once. An outcome can be recorded only once the call has started, so before the call
screen is used the booked time is moved to a few minutes ago (``call_time_arrives``).
"""

import hashlib
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, MOBILE, horizontal_overflow
from tests.browser.flows import (
    call_outcome,
    expect_status,
    fill_call_screen,
    login_staff,
    login_vendor,
)
from tests.conftest import PASSWORD, TOTP_SECRET
from tests.core import pdf_corpus as corpus
from tests.meetings import mp4_bytes
from tests.registrations.factories import add_all_documents
from tests.scheduling.factories import accepted, call_time_arrives, schedule
from verifikasi.meetings.models import Meeting, MeetingSettings, Provider, VerificationCall
from verifikasi.scheduling.selectors import free_slots

pytestmark = pytest.mark.browser

JITSI_DOMAIN = "meet.example.go.id"
DOCUMENTS = ["KTP", "NPWP", "NIB"]
MISMATCH = "Nomor pada NPWP asli berbeda dengan NPWP yang diunggah."


@pytest.fixture
def scheduled(office, vendor, verifier):
    """A registration whose documents were accepted, booked at the first free time."""
    MeetingSettings.objects.create(office=office, provider=Provider.JITSI,
                                   jitsi_domain=JITSI_DOMAIN)
    registration = accepted(vendor, office, assigned_to=verifier)
    add_all_documents(registration)
    schedule(registration, free_slots(office)[0].start, verifier)
    registration.refresh_from_db()
    assert registration.status == "scheduled"
    return registration


def open_call_screen(page, registration):
    call_time_arrives(registration)
    page.goto(f"/verifikator/{registration.code}/")
    page.get_by_role("link", name="Layar video call").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Video call verifikasi")
    expect_status(page, "Terjadwal")


def test_the_call_passes_with_its_recording(new_page, server_lock, scheduled,  # noqa: F811
                                            vendor, verifier):
    registration = scheduled
    join_url = Meeting.objects.get(registration=registration).join_url
    assert join_url.startswith(f"https://{JITSI_DOMAIN}/")

    # Before the call the vendor has the invitation: link, what to bring, the recording notice.
    phone = new_page(**MOBILE)
    login_vendor(phone, vendor.email, PASSWORD)
    invitation = phone.locator("#video-call")
    expect(invitation.get_by_role("link", name="Buka tautan video call")).to_have_attribute(
        "href", join_url)
    expect(invitation).to_contain_text("KTP, NPWP, NIB")
    expect(invitation).to_contain_text("direkam oleh verifikator")
    assert horizontal_overflow(phone) == 0

    desk = new_page(**DESKTOP)
    login_staff(desk, verifier.email, PASSWORD, TOTP_SECRET)
    open_call_screen(desk, registration)
    expect(desk.locator("#tautan").get_by_role("link", name="Buka tautan video call")) \
        .to_have_attribute("href", join_url)
    expect(desk.get_by_label(
        "Nama yang hadir (sesuai KTP yang ditunjukkan)")).to_have_value("Budi Santoso")

    # C.5: the verifier uploads the call's recording (Jitsi has no cloud recording).
    video = mp4_bytes(seconds=60)
    desk.set_input_files("#recording", files=[
        {"name": "rekaman.mp4", "mimeType": "video/mp4", "buffer": video}])
    desk.get_by_role("button", name="Unggah rekaman", exact=True).click()
    expect(desk.locator(".msg-success")).to_have_text(
        "Rekaman tersimpan sebagai bukti verifikasi.")
    sha256 = hashlib.sha256(video).hexdigest()
    expect(desk.locator("#rekaman")).to_contain_text(f"SHA-256 {sha256[:12]}…")
    expect(desk.locator("#rekaman").get_by_role("link", name="Putar")).to_be_visible()

    # C.4, C.6: every original shown and matching — a pass, then on to SPSE approval.
    fill_call_screen(desk, DOCUMENTS)
    call_outcome(desk, "Lulus verifikasi")
    expect(desk).to_have_url(re.compile(rf"/verifikator/{registration.code}/#hasil$"))
    expect(desk.locator(".msg-success")).to_contain_text("Lulus verifikasi. Setujui akun di SPSE")
    expect_status(desk, "Lulus verifikasi")
    expect(desk.locator("#hasil")).to_contain_text("Lulus verifikasi video call pada")
    expect(desk.get_by_role("button", name="Catat persetujuan SPSE")).to_be_visible()

    # The call screen keeps the record (read-only now) and the recording.
    desk.get_by_role("link", name="Catatan dan rekaman video call").click()
    expect(desk.locator("form.call-form")).to_have_count(0)
    expect(desk.locator("main")).to_contain_text("Lulus verifikasi — Verifikator Satu")
    expect(desk.locator("#rekaman")).to_contain_text(sha256[:12])

    phone.reload()
    expect_status(phone, "Lulus verifikasi")
    expect(phone.locator("#video-call")).to_have_count(0)

    with server_lock:
        call = VerificationCall.objects.get(registration=registration)
        assert call.outcome == "pass"
        assert call.checks.filter(matches=True).count() == 3
        registration.refresh_from_db()
        assert registration.status == "verified"
        assert registration.call_held_on is not None


def test_a_mismatched_npwp_goes_back_to_the_vendor(new_page, server_lock,  # noqa: F811
                                                   scheduled, vendor, verifier, tmp_path,
                                                   request):
    registration = scheduled
    desk = new_page(**DESKTOP)
    login_staff(desk, verifier.email, PASSWORD, TOTP_SECRET)
    open_call_screen(desk, registration)

    # Passing is refused while an original does not match; "Belum sesuai" sends it back.
    fill_call_screen(desk, DOCUMENTS, mismatched={"NPWP": MISMATCH})
    call_outcome(desk, "Lulus verifikasi")
    expect(desk.locator(".msg-error")).to_have_text(
        "Tidak dapat dinyatakan lulus: dokumen asli tidak sesuai — NPWP.")
    expect_status(desk, "Terjadwal")
    fill_call_screen(desk, DOCUMENTS, mismatched={"NPWP": MISMATCH})
    call_outcome(desk, "Belum sesuai")
    expect(desk.locator(".msg-success")).to_have_text("Hasil dicatat dan dikirim ke Pelaku Usaha.")
    expect_status(desk, "Perlu perbaikan")

    # The vendor sees the mismatch and may replace only the NPWP.
    phone = new_page(**MOBILE)
    login_vendor(phone, vendor.email, PASSWORD)
    expect_status(phone, "Perlu perbaikan")
    fixes = phone.locator("#perbaikan li")
    expect(fixes).to_have_count(1)
    expect(fixes).to_contain_text("NPWP: Tidak sesuai dengan dokumen asli saat video call")
    expect(fixes).to_contain_text(f"Catatan verifikator: {MISMATCH}")
    expect(phone.locator("#video-call")).to_have_count(0)
    assert horizontal_overflow(phone) == 0

    phone.locator("#perbaikan").get_by_role("link", name="Unggah ulang dokumen").click()
    for code in ("ktp", "nib"):
        expect(phone.locator(f"#doc-{code}")).to_contain_text("Sudah diunggah")
        expect(phone.locator(f"#doc-{code} form.upload")).to_have_count(0)
    request.getfixturevalue("queue_worker")  # checks the new upload, as db_worker would
    phone.set_input_files("#files-npwp", str(corpus.plain_pdf(tmp_path, name="npwp-asli.pdf")))
    phone.locator("#doc-npwp").get_by_role("button", name="Unggah").click()
    expect(phone.locator("#doc-npwp .doc-version")).to_contain_text("Versi 2", timeout=20_000)

    phone.goto("/beranda/")
    phone.locator("#perbaikan").get_by_role("link", name="Ajukan kembali").click()
    phone.get_by_role("button", name="Ajukan kembali ke verifikator").click()
    expect(phone.locator(".msg-success")).to_have_text(
        "Perbaikan berhasil diajukan kembali ke verifikator.")
    expect_status(phone, "Diajukan")

    with server_lock:
        call = VerificationCall.objects.get(registration=registration)
        assert call.outcome == "not_yet"
        assert [(c.document_type.code, c.matches, c.note) for c in call.checks.filter(
            matches=False)] == [("npwp", False, MISMATCH)]
        assert Meeting.objects.get(registration=registration).state == "cancelled"
