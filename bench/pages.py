"""Pages benchmark: the app under gunicorn against nginx serving a 5 KB file (issue 16).

    python3 bench/pages.py [--duration 10] [--rows 100000] [--keep]
                           [--workers 2] [--worker-class sync] [--threads N]
                           [--behind-nginx] [--only landing,login] [--profile PAGE]
                           [--no-memo]

One command from a fresh clone. It

1. finds nginx and wrk (Debian packages ``nginx-light`` and ``wrk``; installed with apt-get
   when missing and run as root, otherwise it says what to install) and the project's
   virtualenv (created with scripts/_venv.sh when missing; the script re-runs itself in it);
2. makes a throw-away DATA_DIR with production settings (DEBUG=0, SQLite, ``migrate``,
   ``createcachetable``, ``collectstatic``) and seeds one office's vendor with a registration,
   a verifier with TOTP confirmed, and ``--rows`` registrations for the staff queue in one
   ``INSERT … SELECT`` (seconds, not minutes);
3. starts nginx (its own config, a server with a 5 KB file) and gunicorn (2 sync workers,
   as docs/deploy.md runs it) on free loopback ports; ``--behind-nginx`` sends
   the app's requests through nginx as deployed, instead of straight to gunicorn;
4. logs the vendor and the verifier in through the real forms (password, then the TOTP step)
   and checks that every page answers 200 with what it should show;
5. drives each with wrk (16 connections, the same duration for all, after a warm-up run)
   and prints req/s, p50, p99 and the ratio to nginx, with the load average, and the
   CPU time the server's workers spent per request (from /proc), a figure that other
   programs on a shared machine disturb much less than req/s.

``--profile PAGE`` also records the gunicorn workers with py-spy during that page's run
(installed into the venv when missing) and prints the hottest functions; the flame graph
is kept in the work folder (``--keep``).
"""

import argparse
import base64
import hashlib
import hmac
import os
import re
import secrets
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
BIN = VENV_PYTHON.parent
PASSWORD = "bench-" + secrets.token_urlsafe(12)
TOTP_SECRET = base64.b32encode(os.urandom(20)).decode()
VENDOR, VERIFIER = "vendor@bench.test", "verifikator@bench.test"
GOALS = {"landing": 60, "login": 60, "vendor": 150, "queue": 150}  # at most 1 : N of nginx
P99_GOAL_MS = 50

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages_measure import hottest, profile, workers_of, wrk  # noqa: E402 - after sys.path

SEED = """
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.db import connection
from verifikasi.accounts.models import Role, User
from verifikasi.offices.selectors import office_default
from verifikasi.registrations import services
from verifikasi.registrations.models import Registration

office = office_default()
def person(email, **extra):
    user = User.objects.create_user(email, {password!r}, **extra)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user
vendor = person({vendor!r}, full_name="Budi Santoso")
verifier = person({verifier!r}, full_name="Verifikator Bench", role=Role.VERIFIER, office=office)
TOTP.activate(verifier, {secret!r})
registration = services.registration_start(vendor=vendor, office=office)
services.registration_update_company(registration=registration, actor=vendor, data=dict(
    company_name="CV Maju Bersama", business_form="cv", npwp="0012345678901000",
    nib="1234567890123", address="Jl. Merdeka 1", phone="081234567890"))

# The queue's rows: one template row by the ORM (every default filled), copied by SQL.
others = person("usaha@bench.test", full_name="Pemilik Usaha")
template = Registration.objects.create(office=office, vendor=others, company_name="x")
fields = [f.column for f in Registration._meta.concrete_fields if f.column != "id"]
statuses = ["submitted", "revision_requested", "documents_accepted", "scheduled", "verified",
            "certificate_sent", "completed", "withdrawn", "rejected", "draft"]
status_case = "CASE n % 10 " + " ".join(
    f"WHEN {{i}} THEN '{{s}}'" for i, s in enumerate(statuses)) + " END"
stamp = "strftime('%Y-%m-%d %H:%M:%f', 'now', '-' || n || ' minutes')"
override = {{
    "code": "lower(hex(randomblob(16)))", "company_name": "'CV Usaha ' || printf('%06d', n)",
    "npwp": "printf('%016d', n * 10)", "nib": "printf('%013d', n)",
    "email": "'usaha' || n || '@bench.test'", "status": status_case,
    "status_changed_at": stamp, "created_at": stamp, "updated_at": stamp,
    "assigned_to_id": f"CASE WHEN n % 3 = 0 THEN {{verifier.pk}} ELSE NULL END",
}}
table = Registration._meta.db_table
select = ", ".join(override.get(c, f'"{{c}}"') for c in fields)
with connection.cursor() as cursor:
    cursor.execute(
        f'INSERT INTO "{{table}}" ({{", ".join(chr(34) + c + chr(34) for c in fields)}}) '
        f"WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < {rows}) "
        f'SELECT {{select}} FROM seq, "{{table}}" WHERE "{{table}}".id = {{template.pk}}')
    template.delete()
    cursor.execute("ANALYZE")
print("ROWS", Registration.objects.count())
"""


def say(text: str) -> None:
    print(text, flush=True)


def ensure_venv() -> None:
    """Run inside the project's virtualenv, creating it as scripts/demo does."""
    if Path(sys.prefix).resolve() == VENV_PYTHON.parent.parent.resolve():
        return
    if not VENV_PYTHON.exists() or subprocess.run(
            [VENV_PYTHON, "-c", "import django, httpx"], capture_output=True).returncode:
        say("==> preparing the virtualenv (.venv)")
        subprocess.run(["bash", "-c", f'source "{ROOT}/scripts/_venv.sh" && ensure_venv ""'],
                       check=True)
    os.execv(VENV_PYTHON, [str(VENV_PYTHON), __file__, *sys.argv[1:]])


def ensure_tools() -> dict[str, str]:
    """nginx and wrk from the distribution's packages."""
    found = {name: shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
             for name in ("nginx", "wrk")}
    missing = {"nginx": "nginx-light", "wrk": "wrk"}
    packages = [missing[name] for name, path in found.items() if not path]
    if packages:
        if os.geteuid() != 0 or not shutil.which("apt-get"):
            sys.exit(f"missing: {', '.join(packages)}. Install them "
                     f"(Debian/Ubuntu: sudo apt-get install -y {' '.join(packages)}) "
                     "and run this again.")
        say(f"==> installing {' '.join(packages)} with apt-get")
        apt = ["apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y", *packages]
        if subprocess.run(apt).returncode:
            subprocess.run(["apt-get", "update"], check=True)
            subprocess.run(apt, check=True)
        return ensure_tools()
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def totp_now(secret: str) -> str:
    """RFC 6238: the code an authenticator app shows now."""
    counter = struct.pack(">Q", int(time.time()) // 30)
    digest = hmac.new(base64.b32decode(secret), counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 10**6:06d}"


def app_env(work: Path, port: int) -> dict:
    return dict(
        os.environ, DEBUG="0", DEMO_MODE="0", STATIC_MANIFEST="1",
        SECRET_KEY=secrets.token_urlsafe(50),
        ENCRYPTION_KEYS=base64.urlsafe_b64encode(os.urandom(32)).decode(),
        AUDIT_HMAC_KEY=secrets.token_urlsafe(48), ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=f"http://127.0.0.1:{port}", DATA_DIR=str(work / "data"),
        DATABASE_URL="", STORAGE_BACKEND="local", EMAIL_MODE="capture", LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="verifikasi.settings")


def manage(env: dict, *args: str) -> str:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=False)
    if result.returncode:
        sys.exit(f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def start_nginx(nginx: str, work: Path, port: int, proxy_port: int, app_port: int
                ) -> subprocess.Popen:
    root = work / "nginx"
    (root / "html").mkdir(parents=True)
    (root / "html" / "static.html").write_text(("<p>" + "x" * 92 + "</p>\n") * 50)  # 5,050 B
    temp = " ".join(f"{kind}_temp_path {root};" for kind in
                    ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (root / "nginx.conf").write_text(f"""
daemon off; worker_processes auto; pid {root}/nginx.pid; error_log {root}/error.log;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types; access_log off; {temp}
    server {{ listen 127.0.0.1:{port}; root {root}/html; }}
    # --behind-nginx: the app as docs/deploy.md runs it, nginx in front of gunicorn.
    server {{ listen 127.0.0.1:{proxy_port};
              location / {{ proxy_pass http://127.0.0.1:{app_port};
                           proxy_set_header Host $http_host; }} }}
}}
""")
    return subprocess.Popen([nginx, "-c", str(root / "nginx.conf")], stdout=subprocess.DEVNULL)


def wait_until_up(url: str, process: subprocess.Popen, what: str, seconds: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"{what} exited before it answered")
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    sys.exit(f"{what} did not answer in time")


def log_in(base: str, email: str, totp: bool):
    """Password (and TOTP code) through allauth's forms; the session's cookies."""
    import httpx

    client = httpx.Client(base_url=base, timeout=30)
    csrf = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    page = client.get("/akun/login/")
    response = client.post("/akun/login/", data={
        "login": email, "password": PASSWORD, "csrfmiddlewaretoken": csrf.search(page.text)[1]})
    if totp:
        step = response.headers.get("location", "")
        if response.status_code != 302 or "2fa" not in step:
            sys.exit(f"{email}: no TOTP step after the password ({response.status_code} {step})")
        page = client.get(step)
        response = client.post(step, data={
            "code": totp_now(TOTP_SECRET), "csrfmiddlewaretoken": csrf.search(page.text)[1]})
    if response.status_code != 302 or "/akun/" in response.headers.get("location", ""):
        sys.exit(f"{email}: login failed ({response.status_code} "
                 f"{response.headers.get('location')})")
    # Follow the redirect once, as a browser does: it shows (and so clears) the "Berhasil
    # masuk" message, which would otherwise ride along in every measured request's cookies.
    client.get(response.headers["location"])
    if "messages" in client.cookies:
        sys.exit(f"{email}: the login message was not cleared by the first page")
    return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


def check_page(base: str, path: str, cookie: str | None, expect: str) -> None:
    import httpx

    response = httpx.get(base + path, headers={"Cookie": cookie} if cookie else {}, timeout=30)
    if response.status_code != 200 or expect not in response.text:
        sys.exit(f"{path}: HTTP {response.status_code}, {expect!r} "
                 f"{'missing' if response.status_code == 200 else ''}\n{response.text[:300]}")


def stop(processes: list[subprocess.Popen]) -> None:
    for process in reversed(processes):  # gunicorn first, then nginx
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per page (wrk -d)")
    parser.add_argument("--connections", type=int, default=16)
    # As docs/deploy.md runs it on a 2-core server.
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=None,
                        help="threads per gthread worker (default 4; sync workers have one)")
    parser.add_argument("--behind-nginx", action="store_true",
                        help="send the app's requests through nginx (proxy_pass), as deployed")
    parser.add_argument("--only", help="comma-separated pages, e.g. landing,login")
    parser.add_argument("--rows", type=int, default=100_000, help="registrations in the queue")
    parser.add_argument("--profile", choices=list(GOALS), help="py-spy the workers on this page")
    parser.add_argument("--no-memo", action="store_true",
                        help="PERSONAL_PAGE_MEMO_SECONDS=0: every logged-in page built on each "
                             "request (the vendor home's and the queue's kept pages off)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    if args.threads is None:
        args.threads = 4 if args.worker_class == "gthread" else 1
    if args.worker_class == "sync" and args.threads != 1:
        # gunicorn silently runs gthread when a sync worker is given threads.
        parser.error("--worker-class sync runs one thread per worker; leave out --threads")
    tools = ensure_tools()
    ensure_venv()

    work = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    app_port, nginx_port = free_port(), free_port()
    env = app_env(work, app_port)
    if args.no_memo:
        env["PERSONAL_PAGE_MEMO_SECONDS"] = "0"
    processes = []
    try:
        started = time.monotonic()
        say(f"==> production settings in {work}: migrate, collectstatic, "
            f"seed {args.rows:,} registrations")
        for command in (["migrate", "--no-input", "-v", "0"], ["createcachetable"],
                        ["collectstatic", "--no-input", "-v", "0"]):
            manage(env, *command)
        seeded = manage(env, "shell", "-c", SEED.format(
            password=PASSWORD, vendor=VENDOR, verifier=VERIFIER, secret=TOTP_SECRET,
            rows=args.rows))
        rows = re.search(r"ROWS (\d+)", seeded)[1]
        say(f"    {int(rows):,} registrations in {time.monotonic() - started:.0f} s")

        proxy_port = free_port()
        processes.append(start_nginx(tools["nginx"], work, nginx_port, proxy_port, app_port))
        log = open(work / "gunicorn.log", "wb")  # noqa: SIM115 - closed with the process
        processes.append(subprocess.Popen(
            [BIN / "gunicorn", "verifikasi.wsgi", "--workers", str(args.workers),
             # gunicorn turns "sync" with --threads > 1 into gthread: threads for gthread only.
             "--worker-class", args.worker_class,
             "--threads", str(args.threads if args.worker_class == "gthread" else 1),
             "--bind", f"127.0.0.1:{app_port}",
             "--log-level", "warning"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT))
        nginx_url, base = f"http://127.0.0.1:{nginx_port}", f"http://127.0.0.1:{app_port}"
        if args.behind_nginx:
            base = f"http://127.0.0.1:{proxy_port}"
        wait_until_up(nginx_url + "/static.html", processes[0], "nginx")
        wait_until_up(base + "/healthz", processes[1], "gunicorn")

        vendor_cookie = log_in(base, VENDOR, totp=False)
        staff_cookie = log_in(base, VERIFIER, totp=True)
        pages = [  # label, key, path, cookie, what the page must show
            ("landing page", "landing", "/", None, "Pindai untuk mendaftar"),
            ("login page", "login", "/akun/login/", None, 'name="password"'),
            ("vendor home (logged in)", "vendor", "/pendaftaran/", vendor_cookie,
             "CV Maju Bersama"),
            (f"staff queue ({args.rows:,} rows)", "queue", "/verifikator/", staff_cookie,
             "CV Usaha"),
        ]
        if args.only:
            pages = [page for page in pages if page[1] in args.only.split(",")]
        for _, _, path, cookie, expect in pages:
            check_page(base, path, cookie, expect)

        load_before = os.getloadavg()
        say(f"==> wrk, {args.connections} connections, {args.duration} s per page "
            f"(after a 2 s warm-up), gunicorn {args.workers} {args.worker_class} workers"
            + (f" x {args.threads} threads" if args.worker_class == "gthread" else ""))
        nginx_pid = int((work / "nginx" / "nginx.pid").read_text())
        wrk(tools["wrk"], nginx_url + "/static.html", 2, args.connections, None, nginx_pid)
        baseline = wrk(tools["wrk"], nginx_url + "/static.html", args.duration,
                       args.connections, None, nginx_pid)
        results = []
        for label, key, path, cookie, _ in pages:
            wrk(tools["wrk"], base + path, 2, args.connections, cookie, processes[1].pid)
            spies = []
            if args.profile == key:
                spies = profile(workers_of(processes[1].pid), args.duration, work / "profile")
            results.append((label, key, wrk(tools["wrk"], base + path, args.duration,
                                            args.connections, cookie, processes[1].pid)))
            for spy in spies:
                spy.wait()
        load_after = os.getloadavg()

        say(f"\n{'page':<30} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>9} "
            f"{'goal':>8}  {'CPU ms/req':>10} {'CPU ratio':>10}  verdict")
        say(f"{'nginx, 5 KB static file':<30} {baseline['rps']:>9,.0f} "
            f"{baseline['p50']:>8.2f} {baseline['p99']:>8.2f} {'1 : 1':>9} {'':>8}  "
            f"{baseline['cpu_ms']:>10.3f} {'1 : 1':>10}")
        for label, key, result in results:
            ratio = baseline["rps"] / result["rps"]
            ok = ratio <= GOALS[key] and result["p99"] < P99_GOAL_MS
            note = f"  {result['bad']} non-2xx!" if result["bad"] else ""
            note += f"  socket errors: {result['errors']}" if result["errors"] else ""
            cpu_ratio = result["cpu_ms"] / max(baseline["cpu_ms"], 1e-6)
            say(f"{label:<30} {result['rps']:>9,.0f} {result['p50']:>8.2f} "
                f"{result['p99']:>8.2f} {'1 : ' + format(ratio, '.0f'):>9} "
                f"{'1 : ' + str(GOALS[key]):>8}  {result['cpu_ms']:>10.3f} "
                f"{'1 : ' + format(cpu_ratio, '.0f'):>10}  {'met' if ok else 'NOT met'}{note}")
        say(f"p99 goal: < {P99_GOAL_MS} ms for every page. CPU ms/req: the server's workers' "
            "CPU time over the requests served,\nwhich other programs on a shared machine "
            "disturb far less than req/s.")
        say(f"load average (1/5/15 min): before {' '.join(f'{v:.2f}' for v in load_before)}"
            f", after {' '.join(f'{v:.2f}' for v in load_after)}; {os.cpu_count()} CPUs")
        if args.profile:
            hottest(sorted(work.glob("profile.*.txt")))
    finally:
        stop(processes)
        say(f"kept: {work}") if args.keep else shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
