"""Steps the browser tests share: logging in (staff with their TOTP code), the verifier's
review screen, the call screen, and reading a certificate's QR code.

Every helper drives the real UI through Playwright and waits with ``expect`` for what
the page shows next; none of them sleeps.
"""

import io
import re
from collections.abc import Iterable

from allauth.mfa.totp.internal.auth import hotp_value, yield_hotp_counters_from_time
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

STAFF_LANDING = re.compile(r"^(?!.*/akun/).*$")  # anywhere but the login/2FA pages


def totp_now(secret: str) -> str:
    """The authenticator app's current 6-digit code for ``secret``."""
    counters = list(yield_hotp_counters_from_time())
    return f"{hotp_value(secret, counters[len(counters) // 2]):06d}"


def _submit_login(page: Page, email: str, password: str) -> None:
    page.goto("/akun/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.locator("main").get_by_role("button", name="Masuk", exact=True).click()


def login_staff(page: Page, user_email: str, password: str, totp_secret: str) -> None:
    """Staff log in through the real login form, then the TOTP page (``mfa_authenticate``).

    A code typed as its 30-second period ends may reach the server in the next one and be
    refused; the second try then uses the new period's code, as a person would.
    """
    _submit_login(page, user_email, password)
    page.wait_for_url("**/akun/2fa/authenticate/")
    for attempt in range(2):
        page.fill("input[name=code]", totp_now(totp_secret))
        page.locator("main").get_by_role("button", name="Masuk", exact=True).click()
        try:
            page.wait_for_url(STAFF_LANDING, timeout=5_000)
            return
        except PlaywrightError:
            if attempt:
                raise


def login_vendor(page: Page, email: str, password: str) -> None:
    """A vendor logs in with email and password and lands on their home page."""
    _submit_login(page, email, password)
    page.wait_for_url("**/beranda/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pendaftaran saya")


# --- the verifier's review screen (C.3) ------------------------------------------------

def review_card(page: Page, code: str):
    return page.locator(f"section.document-review#doc-{code}")


def decide_document(page: Page, code: str, *, accept: bool = True,
                    reasons: Iterable[str] = (), note: str = "") -> None:
    """Record "Sesuai" or "Perlu perbaikan" (with reasons and a note) for one document.

    The form posts through htmx and the card is swapped in place with its new badge.
    """
    card = review_card(page, code)
    label = "Sesuai" if accept else "Perlu perbaikan"
    card.get_by_label(label, exact=True).check()
    for reason in reasons:
        card.get_by_label(reason, exact=True).check()
    if note:
        card.get_by_label("Catatan untuk Pelaku Usaha").fill(note)
    card.get_by_role("button", name="Simpan keputusan").click()
    expect(review_card(page, code).locator("h3 .badge").first).to_have_text(label)


def record_blacklist_clear(page: Page, note: str = "") -> None:
    """The national blacklist check: "Tidak tercantum", recorded with "Catat hasil"."""
    section = page.locator("#daftar-hitam")
    section.get_by_label("Tidak tercantum").check()
    if note:
        section.get_by_label("Catatan").fill(note)
    section.get_by_role("button", name="Catat hasil").click()
    expect(page.locator("#daftar-hitam .badge-ok")).to_have_text("Tidak tercantum")


def send_review_result(page: Page) -> None:
    page.locator("#kirim-hasil").get_by_role("button", name="Kirim hasil pemeriksaan").click()


def expect_status(page: Page, label: str) -> None:
    """The registration's status badge (review screen, call screen or vendor home)."""
    expect(page.locator("main .badge[class*=status-]").first).to_have_text(label)


# --- the call screen (C.4–C.6, C.8) ----------------------------------------------------

def check_original(page: Page, name: str, *, matches: bool = True, note: str = "") -> None:
    """Mark one original document as shown and matching, or not, with an optional note."""
    fieldset = page.locator("fieldset.doc-check").filter(
        has=page.locator("legend", has_text=re.compile(rf"^{re.escape(name)}$")))
    answer = "Asli ditunjukkan dan cocok" if matches else "Tidak ditunjukkan / tidak cocok"
    fieldset.get_by_label(answer).check()
    if note:
        fieldset.get_by_label("Catatan").fill(note)


def fill_call_screen(page: Page, documents: Iterable[str], *,
                     mismatched: dict[str, str] | None = None, notes: str = "",
                     power_of_attorney_shown: bool | None = None) -> None:
    """Fill the call form: every original matches except ``mismatched`` (name → note).

    Attendee, name and times keep the defaults the screen offers (who should attend,
    the appointment's start and end).
    """
    mismatched = mismatched or {}
    for name in documents:
        check_original(page, name, matches=name not in mismatched,
                       note=mismatched.get(name, ""))
    if power_of_attorney_shown:
        page.get_by_label("Surat Kuasa asli ditunjukkan").check()
    if notes:
        page.get_by_label("Catatan umum").fill(notes)


def call_outcome(page: Page, label: str) -> None:
    """Press one of "Lulus verifikasi", "Belum sesuai", "Tidak hadir" ("Tidak hadir" asks
    for confirmation first; the verifier says yes)."""
    if label == "Tidak hadir":
        page.once("dialog", lambda dialog: dialog.accept())
    page.locator("form.call-form").get_by_role("button", name=label, exact=True).click()


# --- certificates --------------------------------------------------------------------

def qr_texts_in_pdf(pdf: bytes, *, scale: float = 3) -> list[str]:
    """The text of every QR code on page 1 of a PDF (rendered with pdfium, read by zxing)."""
    import pypdfium2
    import zxingcpp

    document = pypdfium2.PdfDocument(io.BytesIO(pdf))
    try:
        image = document[0].render(scale=scale).to_pil()
    finally:
        document.close()
    return [r.text for r in zxingcpp.read_barcodes(image)
            if r.format == zxingcpp.BarcodeFormat.QRCode]
