"""The whole procedure (sections B and C), end to end, against real processes.

Nothing here uses the Django test database: the test migrates a temporary SQLite file,
starts gunicorn and the task worker (``manage.py db_worker``) as subprocesses with
production settings (DEBUG=0, a random SECRET_KEY), sends email over SMTP to a real
aiosmtpd server, talks to a fake Zoom over HTTP, and signs certificates with a key made
by ``create_signing_certificate``. Chromium plays every person:

- a new vendor on a 360×740 phone signs up, confirms the email (read back from the SMTP
  server), enters the company data with a representative, uploads every document (one as
  two phone photos), proposes two times and submits (B.1–B.8);
- the verifier (desktop, password + TOTP) flags one document; the vendor replaces only
  that one and resubmits; the verifier accepts, with the blacklist check recorded (C.3);
- the coordinator offers another time (B.8.b); the vendor accepts it, later asks once to
  reschedule with a reason and new times (C.8.b); the coordinator confirms one (B.8.c);
  the Zoom meeting is created, then moved to the newly confirmed time (C.3, C.8.b);
- the verifier runs the call screen to a pass (C.4, C.6); Zoom's signed
  ``recording.completed`` webhook brings the recording in, hashed (C.5);
- the verifier records the SPSE approval; the signed certificate is emailed (C.6); its QR
  code opens the public check page (valid); the vendor confirms receipt from the emailed
  link and the registration is completed (C.7, C.9, C.10);
- ``manage.py verify_audit`` passes and the audit log tells the story in order.

Along the way it saves a screenshot of each key screen to docs/screenshots/
(with SCREENSHOTS=1, as ``scripts/screenshots`` sets it).
"""

import base64
import hashlib
import hmac
import json
import os
import re
import secrets
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import expect
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from tests.browser.conftest import (
    CSP_LISTENER,
    DESKTOP,
    ENGLISH_SCAN,
    MOBILE,
    SCREENSHOTS,
    TAP_TARGETS,
    BrowserProblems,
    horizontal_overflow,
)
from tests.browser.flows import (
    call_outcome,
    decide_document,
    expect_status,
    fill_call_screen,
    login_staff,
    qr_texts_in_pdf,
    record_blacklist_clear,
    review_card,
    send_review_result,
)
from tests.core import pdf_corpus as corpus
from tests.fakes.zoom import ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET, FakeZoom
from tests.meetings import mp4_bytes
from tests.smtp import SMTPServer, free_port
from verifikasi.front.management.commands.seed_demo import DEMO_USERS

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
WEBHOOK_SECRET = "e2eWebhookSecretToken-7f3a"
ZOOM_TIME = "%Y-%m-%dT%H:%M:%SZ"

VENDOR_EMAIL = "direktur@sinarpesisir.test"
VENDOR_PASSWORD = "Sinar-Pesisir-Ketapang-2026"
COMPANY = {
    "business_form": "cv",
    "company_name": "CV Sinar Pesisir",
    "npwp": "01.300.066.6-091.000",
    "nib": "9120001234567",
    "spse_user_id": "sinarpesisir",
    "address": "Jalan Gajah Mada No. 12, Kelurahan Sampit",
    "province": "Kalimantan Barat",
    "regency": "Kabupaten Ketapang",
    "postal_code": "78813",
    "phone": "0812 3456 7890",
    "email": "kantor@sinarpesisir.test",
    "director_name": "Hendra Wijaya",
    "director_nik": "6104011201900001",
    "representative_name": "Dewi Lestari",
    "representative_nik": "6104014505950002",
}
DOCUMENTS = {  # code: name on the screens
    "ktp": "KTP",
    "npwp": "NPWP",
    "nib": "NIB",
    "surat_kuasa": "Surat Kuasa",
    "ktp_penerima_kuasa": "KTP Penerima Kuasa",
}
FLAGGED = "surat_kuasa"
FLAG_REASON = "Halaman tidak lengkap"
FLAG_NOTE = "Halaman kedua (tanda tangan di atas meterai) belum ada."
RESCHEDULE_REASON = "Direktur dinas luar kota pada tanggal tersebut."

# The story's key acts, in the order the audit log must hold them (other events between).
STORY = [
    "registration.created",
    "registration.consent_given",
    "registration.submit",
    "document.reviewed",
    "registration.blacklist_checked",
    "registration.request_revision",
    "document.uploaded",
    "document.checked",
    "registration.resubmit",
    "registration.accept_documents",
    "registration.offer_other_date",
    "appointment.offered",
    "registration.accept_offer",
    "appointment.confirmed",
    "meeting.created",
    "registration.reschedule",
    "appointment.rescheduled",
    "registration.confirm_schedule",
    "appointment.confirmed",
    "meeting.rescheduled",
    "meeting.updated",
    "registration.record_pass",
    "appointment.held",
    "recording.stored",
    "registration.spse_approved",
    "registration.issue_certificate",
    "certificate.issued",
    "registration.confirm_receipt",
    "certificate.receipt_confirmed",
]


# --- the running system -------------------------------------------------------------

def wait_for(what: str, probe, *, timeout: float = 30.0):
    """Poll ``probe()`` until it returns something truthy (the worker runs on its own)."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout:.0f} s waiting for {what}")
        time.sleep(0.1)


class System:
    """Web server, worker, SMTP server and fake Zoom, on loopback, in a temporary folder."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.smtp = SMTPServer().start()
        self.zoom = FakeZoom()
        self.zoom.start()
        self.processes: dict[str, subprocess.Popen] = {}
        self.p12 = folder / "certificate-signing.p12"
        keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
        self.env = {name: os.environ[name] for name in keep if name in os.environ}
        self.env.update({
            "DJANGO_SETTINGS_MODULE": "verifikasi.settings",
            "PYTHONDONTWRITEBYTECODE": "1",
            "DEBUG": "0",
            "HTTPS": "0",
            "SECRET_KEY": secrets.token_urlsafe(60),
            # Production refuses to start without the keys kept outside the database.
            "ENCRYPTION_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
            "AUDIT_HMAC_KEY": secrets.token_urlsafe(48),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": self.url,
            "DATA_DIR": str(folder / "data"),
            "DATABASE_URL": f"sqlite:///{folder / 'verifikasi.sqlite3'}",
            "EMAIL_MODE": "smtp",
            "SMTP_HOST": self.smtp.host,
            "SMTP_PORT": str(self.smtp.port),
            "SMTP_TIMEOUT": "5",
            "DEFAULT_FROM_EMAIL": "LPSE Kabupaten Ketapang <verifikasi@lpse.test>",
            "ZOOM_API_URL": self.zoom.url,
            "ZOOM_OAUTH_URL": self.zoom.url,
            "WORKER_HEARTBEAT_SECONDS": "2",
            "CERTIFICATE_P12_PATH": str(self.p12),
            "LOG_LEVEL": "WARNING",
        })

    def manage(self, *args: str, extra_env: dict | None = None, check: bool = True):
        result = subprocess.run(
            [PYTHON, "manage.py", *args], cwd=ROOT, env={**self.env, **(extra_env or {})},
            capture_output=True, text=True, timeout=120)
        if check and result.returncode != 0:
            raise AssertionError(f"manage.py {' '.join(args)} failed ({result.returncode}):\n"
                                 f"{result.stdout}\n{result.stderr}")
        return result

    def shell(self, code: str) -> str:
        return self.manage("shell", "-c", code).stdout

    def start(self, name: str, *command: str) -> None:
        log = open(self.folder / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        self.processes[name] = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log,
                                                stderr=subprocess.STDOUT)
        log.close()

    def setup(self) -> dict[str, str]:
        """Migrate, seed, configure Zoom, make the signing key; start web and worker.
        Returns the staff TOTP secrets the seed printed (email → secret)."""
        (self.folder / "data" / "static").mkdir(parents=True)
        # The signing key needs no database (--name): made while the database migrates.
        # --skip-checks: the system checks would open the database (JSONField's check asks
        # SQLite what it supports), which migrate may hold locked ("database is locked").
        self.start("signing-key", PYTHON, "manage.py", "create_signing_certificate",
                   "--skip-checks", "--name", "LPSE Kabupaten Ketapang", "--path", str(self.p12))
        self.manage("migrate", "--no-input", "-v", "0")
        self.manage("createcachetable")
        self.manage("collectstatic", "--no-input", "-v", "0")  # hashed, as in production
        if self.processes.pop("signing-key").wait(timeout=60) != 0:
            raise AssertionError(f"create_signing_certificate failed:\n{self.log('signing-key')}")
        seeded = self.manage("seed_demo", extra_env={"DEMO_MODE": "1"}).stdout
        # The seed writes months of past registrations for the reports: not this story.
        self.seeded_seq = int(self.shell(
            "from verifikasi.core.models import AuditChainHead\n"
            "print(AuditChainHead.objects.get(pk=1).seq)\n").strip().splitlines()[-1])
        secrets_by_email = dict(re.findall(r"(\S+@demo\.test)\s+\S+\s+TOTP secret: (\w+)",
                                           seeded))
        self.shell(
            "from verifikasi.meetings.models import MeetingSettings, Provider\n"
            "from verifikasi.offices.selectors import office_default\n"
            "MeetingSettings.objects.update_or_create(office=office_default(), defaults=dict("
            f"provider=Provider.ZOOM, zoom_account_id={ACCOUNT_ID!r}, "
            f"zoom_client_id={CLIENT_ID!r}, zoom_client_secret={CLIENT_SECRET!r}, "
            f"zoom_webhook_secret_token={WEBHOOK_SECRET!r}))\n")
        self.start("web", GUNICORN, "verifikasi.wsgi", "--bind", f"127.0.0.1:{self.port}",
                   "--workers", "2", "--threads", "4", "--timeout", "60", "--no-control-socket")
        self.start("worker", PYTHON, "manage.py", "db_worker", "--no-reload",
                   "--no-startup-delay", "--interval", "0.2")
        wait_for("/healthz to report the web server and the worker up", self.healthy)
        return secrets_by_email

    def healthy(self) -> bool:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise AssertionError(f"{name} exited early:\n{self.log(name)}")
        try:
            return httpx.get(f"{self.url}/healthz", timeout=2).json()["status"] == "ok"
        except httpx.HTTPError:
            return False

    def log(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def stop(self) -> None:
        for process in self.processes.values():
            process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.smtp.stop()
        self.zoom.stop()

    # --- what came out of it ---

    def mail(self, what: str, predicate, *, timeout: float = 30.0):
        """The first message received that satisfies ``predicate`` (waiting for the worker)."""
        return wait_for(f"the email with {what}",
                        lambda: next((m for m in self.smtp.messages if predicate(m)), None),
                        timeout=timeout)

    def zoom_calls(self, method: str, prefix: str) -> list:
        return [c for c in self.zoom.calls(method, prefix) if 200 <= c.status < 300]

    def post_webhook(self, event: dict) -> dict:
        """Zoom's signed webhook: x-zm-signature = v0= + HMAC-SHA256(secret, v0:ts:body)."""
        body = json.dumps(event).encode()
        timestamp = str(int(time.time()))
        signature = "v0=" + hmac.new(WEBHOOK_SECRET.encode(), f"v0:{timestamp}:".encode() + body,
                                     hashlib.sha256).hexdigest()
        response = httpx.post(
            f"{self.url}/webhooks/zoom/", content=body, timeout=10,
            headers={"Content-Type": "application/json", "x-zm-request-timestamp": timestamp,
                     "x-zm-signature": signature})
        assert response.status_code == 200, response.text
        return response.json()

    def audit_actions(self) -> list[str]:
        out = self.shell(
            "import json\n"
            "from verifikasi.core.models import AuditEvent\n"
            "print(json.dumps(list(AuditEvent.objects"
            f".filter(seq__gt={self.seeded_seq}).order_by('seq')"
            ".values_list('action', flat=True))))\n")
        return json.loads(out.strip().splitlines()[-1])


@pytest.fixture
def system(tmp_path_factory):
    running = System(tmp_path_factory.mktemp("e2e"))
    try:
        yield running
    finally:
        running.stop()
        for name in running.processes:  # shown by pytest only when the test failed
            print(f"--- {name}.log (tail) ---\n{running.log(name)}")


@pytest.fixture
def open_page(chromium, system):
    """``open_page(options)`` opens a page in a fresh context against the running system,
    watched for console errors and CSP violations like every other browser test."""
    problems = BrowserProblems()
    contexts = []

    def open_page(options):
        context = chromium.new_context(base_url=system.url, **options)
        context.set_default_timeout(15_000)
        context.add_init_script(CSP_LISTENER)
        context.add_init_script(ENGLISH_SCAN)
        if options.get("is_mobile"):
            context.add_init_script(TAP_TARGETS)
        context.on("page", problems.watch)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
    if problems.unexpected():
        pytest.fail("the browser reported problems:\n" + "\n".join(problems.unexpected()),
                    pytrace=False)


# What the vendor does, counted in the browser: a tap is a click (a button, a link, a
# checkbox, a summary), a choice in a drop-down or a file chosen; a typed field is a text
# field or text area typed into (once per field and page); a page load is a full load of a
# page (an htmx swap is not one).
EFFORT_COUNTER = """
(() => {
  if (window.top !== window) return;
  const typed = new WeakSet();
  const TEXT = (t) => t.tagName === "TEXTAREA" ||
    (t.tagName === "INPUT" && !["checkbox", "radio", "file", "submit", "button"].includes(t.type));
  document.addEventListener("click", (e) => { if (e.isTrusted) window.__effort("taps"); }, true);
  document.addEventListener("change", (e) => {
    const t = e.target;
    if (t.tagName === "SELECT" || t.type === "file") window.__effort("taps");
  }, true);
  document.addEventListener("input", (e) => {
    const t = e.target;
    if (TEXT(t) && !typed.has(t)) { typed.add(t); window.__effort("fields"); }
  }, true);
})();
"""
MAX_TAPS = 40


class Effort:
    """The vendor's taps, typed fields and page loads over the whole journey (issue 21)."""

    def __init__(self, page):
        self.counts = {"taps": 0, "fields": 0, "page_loads": 0}
        page.context.expose_function("__effort", self.add)
        page.context.add_init_script(EFFORT_COUNTER)
        page.on("load", lambda _page: self.add("page_loads"))

    def add(self, what: str) -> None:
        self.counts[what] += 1

    def __str__(self):
        return ("the vendor's journey: {taps} taps, {fields} typed fields, "
                "{page_loads} page loads").format(**self.counts)


def screenshot_of(locator, name: str) -> None:
    """One part of a page (a card, a section) as docs/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    locator.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


# --- helpers for the story ----------------------------------------------------------

def document_pdf(folder: Path, code: str, *, pages: int = 1) -> Path:
    """A scan-like PDF of one document, titled so its thumbnail reads as that document."""
    path = folder / f"{code}.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    for number in range(1, pages + 1):
        c.setFont("Helvetica-Bold", 28)
        c.drawString(72, 740, DOCUMENTS[code].upper())
        c.setFont("Helvetica", 14)
        c.drawString(72, 705, f"{COMPANY['company_name']} — halaman {number} dari {pages}")
        c.rect(72, 420, 450, 250)
        c.drawString(90, 640, f"NPWP {COMPANY['npwp']}   NIB {COMPANY['nib']}")
        c.showPage()
    c.save()
    return path


def reload_until(page, locator, *, timeout: float = 30.0) -> None:
    """Reload until ``locator`` is visible (for what the worker does in the background)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            expect(locator).to_be_visible(timeout=1_000)
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            page.reload()


def upload(page, code: str, files, *, version: int = 1) -> None:
    """Upload, then wait for the worker's verdict: the card asks until it is accepted."""
    card = page.locator(f"#doc-{code}")
    page.set_input_files(f"#files-{code}", files)
    card.get_by_role("button", name="Unggah").click()
    expect(card.locator(".doc-version")).to_contain_text(f"Versi {version},", timeout=30_000)
    expect(card).to_contain_text("Sudah diunggah")
    expect(card).not_to_contain_text("Sedang diperiksa")


def pick_slots(scope, count: int, *, day: int = 0) -> list[str]:
    """Tick ``count`` times on one day of a slot picker (opening it); return their values."""
    days = scope.locator("details.slot-day")
    chosen = days.last if day == -1 else days.nth(day)
    if chosen.get_attribute("open") is None:
        chosen.locator("summary").click()
    chips = chosen.locator(".slot-chip input")
    values = []
    for i in range(count):
        chips.nth(i).check()
        values.append(chips.nth(i).get_attribute("value"))
    return values


def pdf_attachment(message) -> bytes | None:
    for part in message.message.iter_attachments():
        if part.get_content_type() == "application/pdf":
            return part.get_content()
    return None


def assert_in_order(actions: list[str], story: list[str]) -> None:
    """``story`` is a subsequence of ``actions``; on failure, say which step is missing."""
    position = 0
    for step in story:
        try:
            position = actions.index(step, position) + 1
        except ValueError:
            raise AssertionError(f"audit log: {step!r} missing after event #{position} "
                                 f"in {actions}") from None


# --- the story ----------------------------------------------------------------------

def test_the_whole_procedure_end_to_end(system, open_page, screenshot, tmp_path):
    totp = system.setup()
    staff = {role.value: (email, password) for email, password, role, _name in DEMO_USERS}
    verifier_email, verifier_password = staff["verifier"]
    coordinator_email, coordinator_password = staff["coordinator"]
    assert set(totp) >= {verifier_email, coordinator_email}

    # B.1–B.3: the public page, then signup with email verification, on a phone.
    phone = open_page(MOBILE)
    effort = Effort(phone)
    phone.goto("/")
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "Verifikasi dokumen pendaftaran akun SPSE secara daring")
    assert horizontal_overflow(phone) == 0
    screenshot(phone, "01-landing")
    phone.get_by_role("link", name="Daftar sekarang").first.click()
    phone.fill("input[name=email]", VENDOR_EMAIL)
    phone.fill("input[name=password1]", VENDOR_PASSWORD)
    phone.fill("input[name=password2]", VENDOR_PASSWORD)
    screenshot(phone, "02-signup")
    phone.locator("main").get_by_role("button", name="Daftar").click()
    confirmation = system.mail("the confirmation link", lambda m: VENDOR_EMAIL in m.rcpt_tos
                               and "/akun/confirm-email/" in m.text)
    link = next(u for u in confirmation.links() if "/akun/confirm-email/" in u)
    assert link.startswith(system.url)
    phone.goto(link)
    phone.locator("main form").get_by_role("button").click()

    # B.2, B.7: the company data, verified by a representative (Surat Kuasa applies).
    phone.get_by_role("button", name="Mulai pendaftaran verifikasi").click()
    phone.select_option("select[name=business_form]", COMPANY["business_form"])
    for name in ("company_name", "npwp", "nib", "spse_user_id", "regency", "postal_code",
                 "phone", "email", "director_name", "director_nik"):
        phone.fill(f"input[name={name}]", COMPANY[name])
    phone.fill("textarea[name=address]", COMPANY["address"])
    phone.select_option("select[name=province]", COMPANY["province"])
    phone.check("input[name=represented]")
    phone.fill("input[name=representative_name]", COMPANY["representative_name"])
    phone.fill("input[name=representative_nik]", COMPANY["representative_nik"])
    assert horizontal_overflow(phone) == 0
    screenshot(phone, "03-vendor-company-form")
    phone.get_by_role("button", name="Simpan dan lanjut ke dokumen").click()

    # B.4–B.6: every document that applies; the representative's KTP as two phone photos.
    expect(phone.get_by_role("heading", level=1)).to_have_text("Dokumen persyaratan (Lampiran 1)")
    expect(phone.locator("section.document")).to_have_count(len(DOCUMENTS))
    for code in ("ktp", "npwp", "nib"):
        upload(phone, code, str(document_pdf(tmp_path, code)))
    upload(phone, "surat_kuasa", str(document_pdf(tmp_path, "surat_kuasa")))
    photos = [corpus.photo_jpeg(tmp_path, "ktp-kuasa-depan.jpg"),
              corpus.photo_jpeg(tmp_path, "ktp-kuasa-belakang.jpg")]
    phone.set_input_files("#camera-ktp_penerima_kuasa", [str(p) for p in photos])
    phone.locator("#doc-ktp_penerima_kuasa").get_by_role("button", name="Unggah").click()
    expect(phone.locator("#doc-ktp_penerima_kuasa")).to_contain_text("dari foto",
                                                                      timeout=20_000)
    expect(phone.locator("#doc-ktp_penerima_kuasa")).to_contain_text("2 halaman")
    # The worker draws the thumbnails; the cards ask for them until they are there.
    expect(phone.locator(".doc-thumb img")).to_have_count(len(DOCUMENTS), timeout=30_000)
    assert horizontal_overflow(phone) == 0
    screenshot(phone, "04-vendor-documents")

    # B.8: two proposed times, consent, submit.
    phone.get_by_role("link", name="Lanjut: ajukan pendaftaran").click()
    phone.get_by_role("link", name="Pilih usulan jadwal").click()
    proposed = pick_slots(phone, 2)
    phone.get_by_role("button", name="Simpan usulan jadwal").click()
    expect(phone.get_by_text("Usulan jadwal Anda:")).to_be_visible()
    phone.get_by_label(re.compile("Saya telah membaca pemberitahuan privasi")).check()
    assert horizontal_overflow(phone) == 0
    screenshot(phone, "05-vendor-submit")
    phone.get_by_role("button", name="Setujui dan ajukan pendaftaran").click()
    expect_status(phone, "Diajukan")
    system.mail("the submission receipt", lambda m: VENDOR_EMAIL in m.rcpt_tos
                and "Tanda terima pendaftaran" in (m["Subject"] or ""))

    # C.3: the verifier (password + TOTP) finds it and flags the Surat Kuasa.
    desk = open_page(DESKTOP)
    login_staff(desk, verifier_email, verifier_password, totp[verifier_email])
    # On an office PC (1366×900) the queue's four filters take one row, and the status
    # filter says how many each status holds.
    desk.set_viewport_size({"width": 1366, "height": 900})
    desk.goto("/verifikator/")
    # (The demo seed's own registrations wait there too: the count is theirs and ours.)
    expect(desk.locator("select[name=status] option[value=submitted]")).to_have_text(
        re.compile(r"^Diajukan \(\d+\)$"))
    boxes = desk.locator("form.filters > *").evaluate_all(
        "els => els.map(e => { const b = e.getBoundingClientRect(); return [b.top, b.bottom]; })")
    assert len(boxes) == 6 and max(t for t, _ in boxes) < min(b for _, b in boxes), boxes
    screenshot(desk, "06b-staff-queue-filters", full_page=False)
    desk.set_viewport_size(DESKTOP["viewport"])
    desk.get_by_label("Cari").fill(COMPANY["company_name"])
    desk.get_by_label("Cari").press("Enter")
    row_link = desk.locator("#queue-results").get_by_role("link", name=COMPANY["company_name"])
    expect(row_link).to_be_visible()
    screenshot(desk, "06-staff-queue")
    row_link.click()
    expect(desk.get_by_role("heading", level=1)).to_have_text(COMPANY["company_name"])
    for code in DOCUMENTS:
        if code == FLAGGED:
            decide_document(desk, code, accept=False, reasons=[FLAG_REASON], note=FLAG_NOTE)
        else:
            decide_document(desk, code)
    record_blacklist_clear(desk, note="Tidak tercantum di inaproc.")
    flagged_page = review_card(desk, FLAGGED).locator(".pages img").first
    flagged_page.scroll_into_view_if_needed()
    expect(flagged_page).to_have_js_property("complete", True)
    assert flagged_page.evaluate("img => img.naturalWidth") > 0
    screenshot_of(review_card(desk, FLAGGED), "07-staff-review-flag")
    send_review_result(desk)
    expect_status(desk, "Perlu perbaikan")

    # The vendor reads the deficiency (also by email) and replaces only that document.
    system.mail("the deficiency list", lambda m: VENDOR_EMAIL in m.rcpt_tos
                and FLAG_NOTE in m.text)
    phone.goto("/beranda/")
    fixes = phone.locator("#perbaikan li")
    expect(fixes).to_have_count(1)
    expect(fixes).to_contain_text(f"Surat Kuasa: {FLAG_REASON}")
    expect(fixes).to_contain_text(FLAG_NOTE)
    screenshot(phone, "08-vendor-deficiencies")
    phone.locator("#perbaikan").get_by_role("link", name="Unggah ulang dokumen").click()
    for code in DOCUMENTS:
        expect(phone.locator(f"#doc-{code} form.upload")).to_have_count(
            1 if code == FLAGGED else 0)
    expect(phone.locator(f"#doc-{FLAGGED}")).to_contain_text(FLAG_REASON)
    upload(phone, FLAGGED, str(document_pdf(tmp_path, FLAGGED, pages=2)), version=2)
    expect(phone.locator(f"#doc-{FLAGGED} .doc-flag")).to_contain_text("sudah diganti")
    phone.get_by_role("link", name="Lanjut: ajukan kembali").click()
    expect(phone.locator("#perbaikan li")).to_contain_text("sudah diganti")
    phone.get_by_role("button", name="Ajukan kembali ke verifikator").click()
    expect_status(phone, "Diajukan")

    # The verifier sees what changed and accepts (the blacklist check stands).
    desk.reload()
    expect(review_card(desk, FLAGGED)).to_contain_text(
        "Diunggah ulang sejak pemeriksaan sebelumnya")
    decide_document(desk, FLAGGED)
    send_review_result(desk)
    expect(desk.locator(".msg-success")).to_have_text(
        "Semua dokumen diterima. Lanjutkan dengan penjadwalan.")
    expect_status(desk, "Dokumen diterima")
    code = urlsplit(desk.url).path.strip("/").split("/")[-1]

    # B.8.b: the coordinator (password + TOTP) offers another time, well ahead.
    lead = open_page(DESKTOP)
    login_staff(lead, coordinator_email, coordinator_password, totp[coordinator_email])
    lead.goto(f"/jadwal/staf/{code}/")
    expect(lead.get_by_role("button", name="Konfirmasi waktu ini")).to_have_count(2)
    lead.locator("details#tawarkan > summary").click()
    (offered,) = pick_slots(lead.locator("details#tawarkan"), 1, day=-1)
    assert offered not in proposed
    screenshot(lead, "09-staff-schedule-panel")
    lead.get_by_role("button", name="Kirim jadwal pengganti").click()
    expect(lead.locator(".msg-success")).to_contain_text("Jadwal pengganti dikirim")

    # The vendor accepts it; the worker creates the Zoom meeting and sends the invitation.
    phone.goto("/beranda/")
    phone.locator("#jadwal-verifikasi input[name=start]").check()
    phone.get_by_role("button", name="Terima jadwal ini").click()
    expect(phone.locator(".msg-success")).to_contain_text("Jadwal verifikasi terkonfirmasi")
    wait_for("the first Zoom meeting", lambda: system.zoom_calls("POST", "/v2/users/"))
    reload_until(phone, phone.locator("#video-call"))
    expect(phone.locator("time[data-countdown]")).to_contain_text("lagi")
    expect(phone.locator("#video-call")).to_contain_text("zoom.us/download")
    assert horizontal_overflow(phone) == 0
    screenshot(phone, "10-vendor-appointment")
    system.mail("the Zoom invitation", lambda m: VENDOR_EMAIL in m.rcpt_tos
                and "fake.zoom.test/j/" in m.text)

    # C.8.b: the vendor asks once to reschedule, with a reason and two new times.
    phone.locator("#jadwal-verifikasi").get_by_role("link", name="Ubah jadwal").click()
    phone.get_by_label("Alasan").fill(RESCHEDULE_REASON)
    pick_slots(phone, 2)
    phone.get_by_role("button", name="Batalkan jadwal lama dan minta jadwal baru").click()
    expect(phone.locator(".msg-success")).to_contain_text("Permintaan ubah jadwal terkirim")
    expect_status(phone, "Dokumen diterima")
    (meeting,) = system.zoom.meetings.values()
    first_start = meeting.body["start_time"]

    # B.8.c: the coordinator confirms one of the new times; the same Zoom meeting moves
    # (the link the vendor already has keeps working).
    lead.goto(f"/jadwal/staf/{code}/")
    expect(lead.locator("#riwayat")).to_contain_text(RESCHEDULE_REASON)
    lead.get_by_role("button", name="Konfirmasi waktu ini").first.click()
    expect(lead.locator(".msg-success")).to_contain_text("Jadwal dikonfirmasi")
    (patch,) = wait_for("the Zoom meeting to be moved",
                        lambda: system.zoom_calls("PATCH", f"/v2/meetings/{meeting.id}"))
    assert patch.json["start_time"] != first_start
    assert len(system.zoom_calls("POST", "/v2/users/")) == 1
    assert not system.zoom_calls("DELETE", "/v2/meetings/") and not meeting.deleted
    assert meeting.body["topic"].startswith(f"Verifikasi {COMPANY['company_name']}")

    # C.4–C.6: the day of the call comes; the verifier runs the call: the representative
    # shows every original.
    arrived = system.shell("from tests.scheduling.factories import call_time_arrives\n"
                           "from verifikasi.registrations.models import Registration\n"
                           f"call_time_arrives(Registration.objects.get(code={str(code)!r}))\n"
                           "print('call time arrived')\n")
    assert "call time arrived" in arrived
    desk.goto(f"/verifikator/{code}/panggilan/")
    expect(desk.locator("#tautan").get_by_role("link", name="Mulai sebagai host")).to_be_visible()
    expect(desk.get_by_label("Nama yang hadir (sesuai KTP yang ditunjukkan)")).to_have_value(
        COMPANY["representative_name"])
    fill_call_screen(desk, DOCUMENTS.values(), power_of_attorney_shown=True,
                     notes="Kamera jelas; semua dokumen asli dipegang di depan kamera.")
    screenshot(desk, "11-staff-call-screen")
    call_outcome(desk, "Lulus verifikasi")
    expect_status(desk, "Lulus verifikasi")

    # C.5: Zoom's signed webhook announces the cloud recording; the worker copies it.
    video = mp4_bytes(seconds=90)
    started = datetime.strptime(meeting.body["start_time"], ZOOM_TIME).replace(tzinfo=UTC)
    system.zoom.finish_meeting(meeting.id, video, start=started.strftime(ZOOM_TIME),
                               end=(started + timedelta(minutes=25)).strftime(ZOOM_TIME))
    answer = system.post_webhook(system.zoom.recording_completed_event(meeting.id))
    assert answer == {"status": "1 queued"}
    sha256 = hashlib.sha256(video).hexdigest()
    desk.goto(f"/verifikator/{code}/panggilan/")
    reload_until(desk, desk.locator("#rekaman").get_by_text(f"SHA-256 {sha256[:12]}…"))
    expect(desk.locator("#rekaman")).to_contain_text("Rekaman cloud Zoom")
    assert system.zoom_calls("GET", "/rec/play/")

    # C.6.a, C.6.b: SPSE approval recorded; the signed certificate is issued and emailed.
    desk.goto(f"/verifikator/{code}/#hasil")
    outcome = desk.locator("#hasil")
    expect(outcome.get_by_label("User ID SPSE yang disetujui")).to_have_value(
        COMPANY["spse_user_id"])
    outcome.get_by_label(re.compile("Saya sudah menyetujui")).check()
    outcome.get_by_role("button", name="Catat persetujuan SPSE").click()
    expect(desk.locator(".msg-success")).to_contain_text("Tanda lulus verifikasi diterbitkan")
    expect_status(desk, "Tanda lulus dikirim")
    screenshot_of(desk.locator("#hasil"), "12-staff-review-outcome")

    certificate_mail = system.mail("the certificate", lambda m: VENDOR_EMAIL in m.rcpt_tos
                                   and pdf_attachment(m) is not None)
    pdf = pdf_attachment(certificate_mail)
    assert pdf.startswith(b"%PDF-")
    (check_url,) = qr_texts_in_pdf(pdf)
    assert check_url.startswith(f"{system.url}/cek/")

    # Anyone holding the certificate scans its QR code: the public check page says valid.
    public = open_page(MOBILE)
    public.goto(check_url)
    expect(public.locator(".msg-success")).to_contain_text("masih berlaku")
    expect(public.locator("dl.meta")).to_contain_text(COMPANY["company_name"])
    expect(public.locator("dl.meta .badge")).to_have_text("Berlaku")
    assert horizontal_overflow(public) == 0
    screenshot(public, "13-certificate-check-valid")

    # C.7, C.9, C.10: the vendor confirms receipt from the emailed link.
    receipt_link = next(u for u in certificate_mail.links() if "/tanda-terima/" in u)
    phone.goto(receipt_link)
    phone.get_by_role("button", name="Saya sudah menerima tanda lulus verifikasi").click()
    expect(phone.locator(".msg-success")).to_contain_text("Penerimaan telah dikonfirmasi")
    phone.goto("/beranda/")
    expect_status(phone, "Selesai")
    expect(phone.get_by_text("Proses verifikasi selesai.")).to_be_visible()
    assert horizontal_overflow(phone) == 0
    screenshot(phone, "14-vendor-home-completed")
    print(effort)
    assert effort.counts["taps"] < MAX_TAPS, effort

    # The audit log is intact and tells the whole story in order.
    verified = system.manage("verify_audit")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    actions = system.audit_actions()
    assert_in_order(actions, STORY)
    assert "meeting.cancelled" not in actions and actions.count("meeting.created") == 1
    assert actions.count("registration.accept_offer") == 1
    assert actions.count("registration.confirm_schedule") == 1
