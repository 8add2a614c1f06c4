"""One vendor's whole procedure over HTTP, with the verifier who handles it.

Sign-up and the emailed confirmation link, company data, documents (PDFs made here, one per
vendor and kind), proposed times, consent and submit; the verifier (password + TOTP) takes
it, flags one document, the vendor replaces it and resubmits, the verifier accepts and
confirms a time; the call time arrives (the one thing done to the database directly: the
appointment is moved to now, as the browser tests do); the call screen records a pass, the
recording is uploaded, SPSE approval issues the certificate, the vendor confirms receipt.

Every step is something a person does on a page: when the answer is an error the person
waits and does it again (up to ``ATTEMPTS`` times) from a freshly loaded page, so a step
that did go through before the error is seen as done, not repeated.
"""

import base64
import hashlib
import hmac
import io
import random
import re
import threading
import time

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from stdnum import luhn

from .client import Browser, Errors, StepFailed
from .mailbox import Mailbox
from .seed import STAFF_PASSWORD, TOTP_SECRET

ATTEMPTS = 12
STOP = threading.Event()  # set when the run is over: unfinished journeys give up
PAUSE = 5.0  # seconds a person waits before trying again
PASSWORD = "Usaha-Maju-Ketapang-2026!"  # noqa: S105 - the simulated vendors' password
FLAGGED = "npwp"


def totp_now() -> str:
    """The authenticator app's code (RFC 6238: 30-second steps, HMAC-SHA-1, 6 digits)."""
    key = base64.b32decode(TOTP_SECRET)
    digest = hmac.new(key, int(time.time() // 30).to_bytes(8, "big"), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{int.from_bytes(digest[offset:offset + 4], 'big') & 0x7FFFFFFF:06d}"[-6:]


def document_pdf(label: str, pages: int = 1) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for page in range(1, pages + 1):
        pdf.setFont("Helvetica", 14)
        pdf.drawString(72, 760, f"{label} — halaman {page}")
        pdf.drawString(72, 740, f"nomor {random.getrandbits(64):x}")
        pdf.rect(72, 500, 300, 200)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def npwp(n: int) -> str:
    first = f"{10_000_000 + n:08d}"
    return f"{first}{luhn.calc_check_digit(first)}{'091':0>3}000"


def status_of(html: str) -> str:
    found = re.search(r'class="badge status-([a-z_]+)"', html)
    return found.group(1) if found else ""


class Journey:
    """One vendor (number ``n``) and the verifier who works their registration."""

    def __init__(self, n: int, base: str, errors: Errors, mailbox: Mailbox, staff: Browser,
                 call_time_arrives):
        self.n = n
        self.email = f"direktur{n}@usaha{n}.test"
        self.vendor = Browser(base, f"vendor{n}", errors,
                              ip=f"10.{n // 250 % 250}.{n % 250}.{7 + n % 200}")
        self.staff = staff  # the verifier's own session, kept from one journey to the next
        self.verifier = staff.who
        self.mailbox = mailbox
        self.call_time_arrives = call_time_arrives
        self.code = ""
        self.done: list[str] = []
        self.failed = ""

    def close(self) -> None:
        self.vendor.close()

    # --- the frame ---------------------------------------------------------------------

    def step(self, name: str, action) -> None:
        last = None
        for attempt in range(ATTEMPTS):
            if STOP.is_set():
                raise StepFailed(f"{name}: not done when the run ended")
            try:
                action()
                self.done.append(name)
                return
            except (StepFailed, TimeoutError) as e:
                last = e
                STOP.wait(PAUSE * (1 + attempt // 4))
        raise StepFailed(f"{name}: gave up after {ATTEMPTS} tries ({last})")

    def run(self) -> None:
        steps = [
            ("sign-up", self.signup), ("confirm email", self.confirm),
            ("company data", self.company), ("documents", self.documents),
            ("propose times", self.propose), ("submit", self.submit),
            ("staff login", self.staff_login), ("review with deficiency", self.review_flag),
            ("re-upload", self.reupload), ("resubmit", self.resubmit),
            ("accept", self.review_accept), ("confirm schedule", self.confirm_schedule),
            ("call", self.call), ("recording", self.recording),
            ("SPSE approval", self.spse), ("receipt", self.receipt),
        ]
        try:
            for name, action in steps:
                self.step(name, action)
        except Exception as e:  # one journey's end, recorded; the others go on
            self.failed = str(e)[:300]
        finally:
            self.close()

    # --- the vendor --------------------------------------------------------------------

    def signup(self) -> None:
        page = self.vendor.get("/akun/signup/", "sign-up page")
        form = self.vendor.form(page, button="Daftar")
        if form is None:
            return
        answer = self.vendor.submit(page, form, "sign-up", data={
            "email": self.email, "password1": PASSWORD, "password2": PASSWORD})
        if "confirm-email" not in str(answer.url) and "sudah terdaftar" not in answer.text:
            raise StepFailed("sign-up: not sent to the confirmation page")

    def confirm(self) -> None:
        link = self.mailbox.wait_link(self.email, "/akun/confirm-email/", timeout=60,
                                      stop=STOP)
        page = self.vendor.get(link, "confirmation page")
        form = self.vendor.form(page, action="confirm-email")
        if form is not None:
            page = self.vendor.submit(page, form, "confirm email")
        if "/beranda/" not in str(page.url):
            self.login()

    def login(self) -> None:
        page = self.vendor.get("/akun/login/", "login page")
        form = self.vendor.form(page, button="Masuk")
        if form is None:
            return
        answer = self.vendor.submit(page, form, "vendor login",
                                    data={"login": self.email, "password": PASSWORD})
        if "/beranda/" not in str(answer.url):
            raise StepFailed("vendor login: not at home")

    def company(self) -> None:
        home = self.vendor.get("/beranda/", "vendor home")
        found = re.search(r"/pendaftaran/([0-9a-f-]{36})/", home.text)
        if found:
            self.code = found.group(1)
            page = self.vendor.get(f"/pendaftaran/{self.code}/data/", "company page")
        else:
            form = self.vendor.form(home, button="Mulai pendaftaran")
            if form is None:
                raise StepFailed("vendor home: no way to start")
            page = self.vendor.submit(home, form, "new registration")
            self.code = str(page.url).rstrip("/").split("/")[-2]
        form = self.vendor.form(page, button="Simpan dan lanjut")
        if form is None:
            return
        n = self.n
        answer = self.vendor.submit(page, form, "company data", data={
            "business_form": "cv", "company_name": f"CV Uji Gangguan {n}",
            "npwp": npwp(n), "nib": f"{9120000000000 + n}", "spse_user_id": f"ujigangguan{n}",
            "address": f"Jalan Gajah Mada No. {n}", "province": "Kalimantan Barat",
            "regency": "Kabupaten Ketapang", "postal_code": "78813",
            "phone": f"0812 {3000 + n % 6000:04d} {n % 10000:04d}",
            "email": self.email, "director_name": f"Direktur Nomor {n}",
            "director_nik": f"610401120190{n % 10000:04d}"})
        if "/dokumen/" not in str(answer.url):
            raise StepFailed("company data: refused (" + self._error(answer.text) + ")")

    def _error(self, html: str) -> str:
        found = re.search(r'class="[^"]*(?:msg-error|errorlist)[^"]*"[^>]*>(.*?)</', html, re.S)
        return " ".join(found.group(1).split())[:120] if found else "no message"

    def upload(self, kind: str, pages: int = 1) -> None:
        url = f"/pendaftaran/{self.code}/dokumen/{kind}/unggah/"
        page = self.vendor.get(f"/pendaftaran/{self.code}/dokumen/", "documents page")
        form = self.vendor.form(page, action=f"/dokumen/{kind}/unggah/")
        if form is None:
            return  # uploaded already (only flagged documents stay replaceable)
        pdf = document_pdf(f"{kind} {self.email}", pages)
        answer = self.vendor.submit(page, form, f"upload {kind}", headers={
            "HX-Request": "true"}, files=[("files", (f"{kind}.pdf", pdf, "application/pdf"))])
        if "Sudah diunggah" not in answer.text and "Versi" not in answer.text:
            raise StepFailed(f"upload {kind}: not stored")
        del url

    def document_kinds(self) -> list[str]:
        page = self.vendor.get(f"/pendaftaran/{self.code}/dokumen/", "documents page")
        return re.findall(r'<section class="[^"]*\bdocument\b[^"]*" id="doc-([a-z_]+)"', page.text)

    def documents(self) -> None:
        for kind in self.document_kinds():
            self.upload(kind)

    def propose(self) -> None:
        page = self.vendor.get(f"/jadwal/{self.code}/usulan/", "proposal page")
        form = self.vendor.form(page, button="Simpan usulan")
        if form is None:
            return
        slots = form.options("slots")
        if not slots:
            raise StepFailed("proposal page: no free times")
        chosen = random.sample(slots[:40], min(2, len(slots)))
        self.vendor.submit(page, form, "propose times", data={"slots": chosen})

    def submit(self) -> None:
        page = self.vendor.get(f"/pendaftaran/{self.code}/ajukan/", "submit page")
        form = self.vendor.form(page, button="Setujui dan ajukan")
        if form is None:
            return
        answer = self.vendor.submit(page, form, "submit", data={"consent": "1"})
        if status_of(answer.text) not in ("submitted", ""):
            raise StepFailed(f"submit: status {status_of(answer.text)}")

    def reupload(self) -> None:
        self.upload(FLAGGED, pages=2)

    def resubmit(self) -> None:
        page = self.vendor.get(f"/pendaftaran/{self.code}/ajukan/", "resubmit page")
        form = self.vendor.form(page, button="Ajukan kembali")
        if form is not None:
            self.vendor.submit(page, form, "resubmit")

    def receipt(self) -> None:
        home = self.vendor.get("/beranda/", "vendor home")
        form = self.vendor.form(home, action="konfirmasi-terima")
        if form is None:
            if "status-completed" in home.text:
                return
            raise StepFailed("vendor home: no receipt button yet")
        self.vendor.submit(home, form, "confirm receipt")

    # --- the verifier ------------------------------------------------------------------

    def staff_login(self) -> None:
        page = self.staff.get("/akun/login/", "staff login page")
        form = self.staff.form(page, button="Masuk")
        if form is None:
            return
        page = self.staff.submit(page, form, "staff login",
                                 data={"login": self.verifier, "password": STAFF_PASSWORD})
        form = self.staff.form(page, action="2fa")
        if form is None:
            raise StepFailed("staff login: no TOTP form")
        page = self.staff.submit(page, form, "staff TOTP", data={"code": totp_now()})
        if "/akun/" in str(page.url):
            raise StepFailed("staff login: TOTP refused")

    def review_page(self):
        page = self.staff.get(f"/verifikator/{self.code}/", "review page")
        take = self.staff.form(page, button="Ambil pendaftaran")
        if take is not None:
            page = self.staff.submit(page, take, "take registration")
        return page

    def decide(self, *, flag: str | None) -> str:
        page = self.review_page()
        for form in [f for f in _forms(page) if "/dokumen/" in f.action and
                     any("Simpan keputusan" in t for *_x, t in f.buttons)]:
            kind = form.action.rstrip("/").split("/")[-2]
            data = {f"{kind}-decision": "accepted"}
            if kind == flag:
                data = {f"{kind}-decision": "needs_fix",
                        f"{kind}-reasons": form.options(f"{kind}-reasons")[:1],
                        f"{kind}-note": "Halaman kedua belum ada."}
            if form.values().get(f"{kind}-decision") == [data[f"{kind}-decision"]]:
                continue  # decided so already (a step tried again)
            self.staff.submit(page, form, f"review {kind}", data=data,
                              headers={"HX-Request": "true"})
        page = self.review_page()
        blacklist = self.staff.form(page, button="Catat hasil")
        if blacklist is not None:
            page = self.staff.submit(page, blacklist, "blacklist check", data={"listed": "0"})
        send = self.staff.form(page, button="Kirim hasil pemeriksaan")
        if send is not None:
            page = self.staff.submit(page, send, "send review result")
        return status_of(page.text)

    def review_flag(self) -> None:
        # The review screen shows every page: the verifier's browser loads each image.
        page = self.review_page()
        for src in sorted(set(re.findall(r'<img[^>]+src="(/verifikator/[^"]+)"', page.text))):
            self.staff.get(src, "page image")
        status = self.decide(flag=FLAGGED)
        if status not in ("revision_requested",):
            raise StepFailed(f"review: status {status}")

    def review_accept(self) -> None:
        status = self.decide(flag=None)
        if status not in ("documents_accepted", "scheduled"):
            page = self.staff.get(f"/verifikator/{self.code}/", "review page")
            raise StepFailed(f"accept: status {status} ({self._error(page.text)})")

    def confirm_schedule(self) -> None:
        page = self.staff.get(f"/jadwal/staf/{self.code}/", "schedule page")
        if status_of(page.text) == "scheduled":
            return
        choices = [f for f in _forms(page) if "/konfirmasi/" in f.action]
        random.shuffle(choices)
        for form in choices:
            answer = self.staff.submit(page, form, "confirm schedule")
            if status_of(answer.text) == "scheduled" or "Jadwal dikonfirmasi" in answer.text:
                return
        raise StepFailed("confirm schedule: no time could be confirmed")

    def call(self) -> None:
        page = self.staff.get(f"/verifikator/{self.code}/panggilan/", "call screen")
        if status_of(page.text) in ("verified", "certificate_sent", "completed"):
            return
        self.call_time_arrives(self.code)
        page = self.staff.get(f"/verifikator/{self.code}/panggilan/", "call screen")
        form = self.staff.form(page, action="/panggilan/hasil/")
        if form is None:
            raise StepFailed("call screen: no outcome form")
        data = {name: "ya" for name, *_ in form.fields if name.startswith("doc-")}
        answer = self.staff.submit(page, form, "call outcome", button="Lulus verifikasi",
                                   data={**data, "notes": "Semua dokumen asli cocok."})
        if status_of(answer.text) != "verified":
            raise StepFailed(f"call: status {status_of(answer.text)} "
                             f"({self._error(answer.text)})")

    def recording(self) -> None:
        page = self.staff.get(f"/verifikator/{self.code}/panggilan/", "call screen")
        form = self.staff.form(page, action="/panggilan/rekaman/")
        if form is None:
            if "SHA-256" in page.text:
                return
            raise StepFailed("call screen: no recording form")
        from tests.meetings import mp4_bytes

        self.staff.submit(page, form, "recording upload", files=[
            ("recording", ("rekaman.mp4", mp4_bytes(seconds=60), "video/mp4"))])

    def spse(self) -> None:
        page = self.staff.get(f"/verifikator/{self.code}/", "outcome panel")
        if status_of(page.text) in ("certificate_sent", "completed"):
            return
        form = self.staff.form(page, action="/spse/")
        if form is None:
            raise StepFailed("outcome panel: no SPSE form")
        answer = self.staff.submit(page, form, "SPSE approval", data={"confirmed": "1"})
        if status_of(answer.text) not in ("certificate_sent", "completed"):
            raise StepFailed(f"SPSE approval: status {status_of(answer.text)}")


def _forms(page):
    from .client import forms

    return forms(page.text)
