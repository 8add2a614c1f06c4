"""The app under test for the upload benches: a throw-away DATA_DIR, gunicorn from the venv
with production settings (DEBUG=0), a vendor with a draft registration, logging in."""

import base64
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pikepdf

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
EMAIL = "bench@cvmaju.test"
PASSWORD = "bench-" + secrets.token_urlsafe(12)
MIB = 1024 * 1024

SETUP = """
from allauth.account.models import EmailAddress
from verifikasi.accounts.models import User
from verifikasi.offices.selectors import office_default
from verifikasi.registrations.models import Registration

user = User.objects.create_user({email!r}, {password!r}, full_name="Bench Vendor")
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
registration = Registration.objects.create(office=office_default(), vendor=user,
                                           company_name="CV Bench", email=user.email)
print("CODE", registration.code)
from verifikasi.registrations.selectors import document_types_applicable
print("TYPES", ",".join(dt.code for dt in document_types_applicable(registration)))
"""

def make_pdf(path: Path, size_bytes: int, pages: int = 5) -> None:
    """Pages of uncompressed random RGB images: as big on disk as they are in pixels."""
    width = 1600
    height = size_bytes // pages // (3 * width)
    pdf = pikepdf.new()
    for _ in range(pages):
        image = pikepdf.Stream(pdf, os.urandom(width * height * 3))
        image.Type = pikepdf.Name.XObject
        image.Subtype = pikepdf.Name.Image
        image.Width, image.Height = width, height
        image.ColorSpace = pikepdf.Name.DeviceRGB
        image.BitsPerComponent = 8
        page = pdf.add_blank_page(page_size=(595, 842))
        page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
        page.Contents = pdf.make_stream(b"q 595 0 0 842 0 0 cm /Im0 Do Q")
    pdf.save(path, compress_streams=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def app_env(data_dir: Path, port: int, max_mb: int) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(60),
        ENCRYPTION_KEYS=base64.urlsafe_b64encode(os.urandom(32)).decode(),
        AUDIT_HMAC_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=f"http://127.0.0.1:{port}",
        DATA_DIR=str(data_dir),
        FILE_UPLOAD_TEMP_DIR=str(data_dir / "tmp"),
        STORAGE_BACKEND="local",
        EMAIL_MODE="capture",
        UPLOAD_MAX_MB=str(max_mb),
        UPLOAD_CHECK_TIMEOUT_SECONDS="120",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="verifikasi.settings",
    )
    return env


def manage(env: dict, *args: str) -> str:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def wait_until_up(base: str, server: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("gunicorn exited before it answered")
        try:
            httpx.get(f"{base}/healthz", timeout=2)  # 503 without a worker: still up
            return
        except httpx.TransportError:
            time.sleep(0.2)
    sys.exit("gunicorn did not answer in time")


def csrf_from(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]


def log_in(client: httpx.Client) -> None:
    page = client.get("/akun/login/")
    response = client.post("/akun/login/", data={
        "login": EMAIL, "password": PASSWORD, "csrfmiddlewaretoken": csrf_from(page.text)})
    if response.status_code != 302 or "/akun/" in response.headers.get("location", ""):
        sys.exit(f"login failed: {response.status_code} {response.headers.get('location')}")


def start_gunicorn(env: dict, port: int, workers: int, log_path: Path, *,
                   worker_class: str = "sync", threads: int = 1) -> subprocess.Popen:
    log = open(log_path, "wb")  # noqa: SIM115 - inherited by the server, closed with ours
    try:
        return subprocess.Popen(
            [str(BIN / "gunicorn"), "verifikasi.wsgi", "--workers", str(workers),
             "--worker-class", worker_class, "--threads", str(threads),
             "--bind", f"127.0.0.1:{port}", "--timeout", "300", "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    finally:
        log.close()


def stop(server: subprocess.Popen | None) -> None:
    if server is None or server.poll() is not None:
        return
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


