"""The processes of the fault run, all on loopback, all in one temporary folder.

A private PostgreSQL cluster (initdb + pg_ctl on a free port: the run restarts it, which it
must not do to the machine's shared server), moto's S3 server behind a forwarder that the
run can stop, an SMTP server that keeps what it accepts, two gunicorn app servers with
production settings (DEBUG off) behind nginx, and two task workers. ``Stack.stop()`` ends
every child; ``faults.py`` calls it on exit, on Ctrl-C and on errors.
"""

import base64
import glob
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
PYTHON = sys.executable

# The worker command, in one place: what scripts/demo and docs/deploy.md run.
WORKER_COMMAND = [PYTHON, "manage.py", "db_worker", "--no-reload", "-v", "1"]
# The app server command: docs/deploy.md's unit (threaded workers: two processes of four
# threads per server).
APP_COMMAND = [str(BIN / "gunicorn"), "verifikasi.wsgi", "--worker-class", "gthread",
               "--workers", "2", "--threads", "4", "--timeout", "120",
               "--graceful-timeout", "5", "--log-level", "warning"]

S3_BUCKET = "faults"
S3_KEY = "faultrun"
S3_SECRET = "faultrun-secret"  # noqa: S105 - moto accepts anything; never a real credential
RESTART_AFTER = 5.0  # systemd's RestartSec= for a process that died on its own


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_port(port: int, timeout: float = 30.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            sock.settimeout(0.5)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"{what or port} did not start listening on 127.0.0.1:{port}")


def missing_tools() -> list[str]:
    """What this machine lacks for the run (PostgreSQL server binaries, nginx, moto)."""
    missing = []
    if not postgres_bin():
        missing.append("PostgreSQL server binaries (Debian: apt-get install postgresql)")
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        missing.append("nginx (Debian: apt-get install nginx-light)")
    if not (BIN / "moto_server").exists():
        missing.append("moto's server (pip install -e '.[test]', as scripts/test does)")
    return missing


def install_nginx() -> bool:
    """apt-get install nginx-light when root and it is missing; True when nginx is there."""
    if shutil.which("nginx") or Path("/usr/sbin/nginx").exists():
        return True
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return False
    print("==> installing nginx-light (apt-get)", flush=True)
    subprocess.run(["apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y", "-q",
                    "nginx-light"], check=False, stdout=subprocess.DEVNULL)
    return bool(shutil.which("nginx") or Path("/usr/sbin/nginx").exists())


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[4]))
    return Path(found[-1]).parent if found else None


class Stack:
    def __init__(self, folder: Path, *, log=print):
        self.folder = folder
        self.log = log
        self.procs: dict[str, subprocess.Popen] = {}
        self.expected_down: set[str] = set()
        self.deaths: list[tuple[float, str, int]] = []  # (time, name, exit code) unexpected
        self.ports = {name: free_port() for name in
                      ("pg", "moto", "s3", "smtp", "nginx", "app1", "app2")}
        self.url = f"http://127.0.0.1:{self.ports['nginx']}"
        self.mail_dir = folder / "mail"
        self.pgdata = folder / "pgdata"
        self.pg_bin = postgres_bin()
        self.pg_user = "postgres" if os.geteuid() == 0 else None
        self.env = self._env()

    # --- environment ---------------------------------------------------------------

    def _env(self) -> dict[str, str]:
        keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
        env = {name: os.environ[name] for name in keep if name in os.environ}
        env.update({
            # Production settings: DEBUG off, real keys, nginx as the only trusted proxy
            # (each simulated vendor then has its own address), PostgreSQL, S3, SMTP.
            "DEBUG": "0", "HTTPS": "0", "DJANGO_SETTINGS_MODULE": "verifikasi.settings",
            "SITE_URL": self.url, "ALLOWED_HOSTS": "127.0.0.1",
            "TRUSTED_PROXIES": "127.0.0.1",
            "SECRET_KEY": secrets.token_urlsafe(60),
            "AUDIT_HMAC_KEY": secrets.token_urlsafe(48),
            "ENCRYPTION_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
            "PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1",
            "DATA_DIR": str(self.folder / "data"),
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{self.ports['pg']}/verifikasi",
            "STORAGE_BACKEND": "s3",
            "S3_BUCKET": S3_BUCKET,
            "S3_ENDPOINT_URL": f"http://127.0.0.1:{self.ports['s3']}",
            "S3_REGION": "us-east-1",
            "S3_ACCESS_KEY_ID": S3_KEY,
            "S3_SECRET_ACCESS_KEY": S3_SECRET,
            "EMAIL_MODE": "smtp",
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(self.ports["smtp"]),
            "SMTP_TIMEOUT": "10",
            "DEFAULT_FROM_EMAIL": "LPSE Kabupaten Ketapang <verifikasi@lpse.test>",
            "WORKER_HEARTBEAT_SECONDS": "5",
            "CERTIFICATE_P12_PATH": str(self.folder / "signing.p12"),
            "LOG_LEVEL": "WARNING",
        })
        return env

    def manage(self, *args: str, timeout: float = 300,
               check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=self.env,
                                capture_output=True, text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}"
                               f"\n{result.stderr}")
        return result

    # --- processes -----------------------------------------------------------------

    def start(self, name: str, command: list[str], **kwargs) -> subprocess.Popen:
        log = open(self.folder / f"{name}.log", "ab")  # noqa: SIM115 - the child keeps it
        proc = subprocess.Popen(command, cwd=kwargs.pop("cwd", ROOT),
                                env=kwargs.pop("env", self.env), stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True, **kwargs)
        log.close()
        self.procs[name] = proc
        self.expected_down.discard(name)
        return proc

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Stop one child on purpose (a fault, or the end of the run)."""
        proc = self.procs.get(name)
        self.expected_down.add(name)
        if proc is None or proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)

    def watch(self) -> list[str]:
        """Children that died without being asked to: noted, and started again after
        RESTART_AFTER seconds, as systemd's Restart=always would (the run goes on)."""
        dead = []
        for name, proc in list(self.procs.items()):
            if name in self.expected_down or proc.poll() is None:
                continue
            self.deaths.append((time.time(), name, proc.returncode))
            self.log(f"   !! {name} exited by itself (code {proc.returncode}); restarting it")
            dead.append(name)
            self.expected_down.add(name)
        for name in dead:
            time.sleep(RESTART_AFTER if not dead.index(name) else 0)
            self.restart(name)
        return dead

    def restart(self, name: str) -> None:
        if name.startswith("worker"):
            self.start(name, WORKER_COMMAND)
        elif name.startswith("app"):
            self.start_app(name)
        elif name == "smtp":
            self.start_smtp()
        elif name == "s3":
            self.start_s3_door()
        elif name == "nginx":
            self.start_nginx()
        elif name == "moto":
            raise RuntimeError("moto's server died: the store's objects are gone")

    def cpu_seconds(self) -> dict[str, float]:
        """CPU time (user + system) each kind of process has used so far, read from /proc
        for every process in its group (with the children it has waited for): app servers,
        workers. A process killed by a fault takes its count with it: lower bounds."""
        tick = os.sysconf("SC_CLK_TCK")
        groups = {p.pid: re.sub(r"^(app|worker)\d+$", r"\1", name)
                  for name, p in self.procs.items() if p.poll() is None}
        used: dict[str, float] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            kind = groups.get(int(fields[2]))  # field 5, the process group
            if kind:
                # utime, stime, and the same of its children that ended (check_pdf's)
                ticks = sum(int(n) for n in fields[11:15])
                used[kind] = used.get(kind, 0.0) + ticks / tick
        return used

    def stop(self) -> None:
        for name in reversed(list(self.procs)):
            if name == "pg":
                continue
            self.kill(name, signal.SIGTERM)
        if self.pgdata.exists() and self.pg_bin:
            self.pg_ctl("stop", "-m", "immediate", check=False)

    # --- PostgreSQL ----------------------------------------------------------------

    def _as_pg(self, command: list[str]) -> list[str]:
        return ["runuser", "-u", self.pg_user, "--", *command] if self.pg_user else command

    def pg_ctl(self, *args: str, check: bool = True) -> None:
        log = self.folder / "postgresql.log"
        command = self._as_pg([str(self.pg_bin / "pg_ctl"), "-D", str(self.pgdata), "-l",
                               str(log), "-w", "-t", "60", *args])
        result = subprocess.run(command, capture_output=True, text=True)
        if check and result.returncode:
            raise RuntimeError(f"pg_ctl {' '.join(args)}: {result.stdout}{result.stderr}")

    def start_postgres(self) -> None:
        self.pgdata.mkdir()
        if self.pg_user:
            entry = pwd.getpwnam(self.pg_user)
            os.chown(self.pgdata, entry.pw_uid, entry.pw_gid)
            os.chmod(self.folder, 0o755)  # mkdtemp's 0700 would keep the postgres user out
            (self.folder / "postgresql.log").touch()
            os.chown(self.folder / "postgresql.log", entry.pw_uid, entry.pw_gid)
        subprocess.run(self._as_pg([str(self.pg_bin / "initdb"), "-D", str(self.pgdata), "-U",
                                    "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]),
                       check=True, capture_output=True)
        options = (f"-p {self.ports['pg']} -c listen_addresses=127.0.0.1 "
                   f"-c unix_socket_directories={self.pgdata} -c max_connections=100 "
                   "-c fsync=off -c full_page_writes=off -c shared_buffers=64MB")
        self.pg_ctl("start", "-o", options)
        subprocess.run(self._as_pg([str(self.pg_bin / "createdb"), "-h", "127.0.0.1", "-p",
                                    str(self.ports["pg"]), "-U", "postgres", "verifikasi"]),
                       check=True, capture_output=True)

    def restart_postgres(self) -> float:
        started = time.monotonic()
        self.pg_ctl("restart", "-m", "fast")
        return time.monotonic() - started

    # --- S3, SMTP ------------------------------------------------------------------

    def start_s3(self) -> None:
        self.start("moto", [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p",
                            str(self.ports["moto"])])
        wait_port(self.ports["moto"], what="moto_server")
        self.start_s3_door()
        import boto3

        client = self.s3()
        client.create_bucket(Bucket=S3_BUCKET)
        del boto3

    def start_s3_door(self) -> None:
        self.start("s3", [PYTHON, str(HERE / "tcp_proxy.py"), str(self.ports["s3"]),
                          str(self.ports["moto"])])
        wait_port(self.ports["s3"], what="the S3 forwarder")

    def s3(self):
        """A client straight to moto (not through the door the faults close)."""
        import boto3

        return boto3.client("s3", endpoint_url=f"http://127.0.0.1:{self.ports['moto']}",
                            aws_access_key_id=S3_KEY, aws_secret_access_key=S3_SECRET,
                            region_name="us-east-1")

    def start_smtp(self) -> None:
        self.start("smtp", [PYTHON, str(HERE / "smtp_sink.py"), str(self.ports["smtp"]),
                            str(self.mail_dir)])
        wait_port(self.ports["smtp"], what="the SMTP server")

    # --- app servers, nginx, workers -------------------------------------------------

    def start_app(self, name: str) -> None:
        self.start(name, [*APP_COMMAND, "--bind", f"127.0.0.1:{self.ports[name]}"])

    def start_nginx(self) -> None:
        prefix = self.folder / "nginx"
        for sub in ("", "tmp"):
            (prefix / sub).mkdir(exist_ok=True)
        user = ""
        if os.geteuid() == 0:
            nobody = pwd.getpwnam("nobody")
            os.chown(prefix / "tmp", nobody.pw_uid, nobody.pw_gid)
            user = "user nobody nogroup;"
        conf = prefix / "nginx.conf"
        conf.write_text(NGINX_CONF.format(user=user, prefix=prefix, port=self.ports["nginx"],
                                          static=ROOT / "verifikasi" / "static" / "verifikasi",
                                          app1=self.ports["app1"], app2=self.ports["app2"]))
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.start("nginx", [nginx, "-p", str(prefix), "-c", str(conf), "-e",
                             str(prefix / "error.log"), "-g", "daemon off;"])
        wait_port(self.ports["nginx"], what="nginx")

    def start_all(self) -> None:
        self.log(f"==> private PostgreSQL {self.pg_bin.parts[-2]} on port {self.ports['pg']}")
        self.start_postgres()
        self.log("==> moto S3 server, SMTP server")
        self.start_s3()
        self.start_smtp()
        self.log("==> migrate, seed, signing key")
        (self.folder / "data" / "static").mkdir(parents=True)
        self.manage("migrate", "--no-input", "-v", "0")
        self.manage("collectstatic", "--no-input", "-v", "0")  # production static (manifest)
        self.manage("createcachetable")
        self.manage("create_signing_certificate", "--if-missing")
        self.log("==> two app servers behind nginx, two workers")
        self.start_app("app1")
        self.start_app("app2")
        self.start_nginx()
        for name in ("app1", "app2"):
            wait_port(self.ports[name], timeout=60, what=name)
        self.start("worker1", WORKER_COMMAND)
        self.start("worker2", WORKER_COMMAND)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(1)
        raise RuntimeError("/healthz did not answer 200 within 60 s (see the logs in "
                           f"{self.folder})")


NGINX_CONF = """
{user}
worker_processes 1;
pid {prefix}/nginx.pid;
events {{ worker_connections 512; }}
http {{
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    upstream app {{
        server 127.0.0.1:{app1} max_fails=1 fail_timeout=10s;
        server 127.0.0.1:{app2} max_fails=1 fail_timeout=10s;
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 60m;
        client_body_timeout 30s;
        proxy_request_buffering on;
        location / {{
            proxy_pass http://app;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 120s;
            proxy_connect_timeout 2s;
            # A server that refuses the connection or dies before answering: try the other
            # (only idempotent requests once a request was sent, nginx's default).
            proxy_next_upstream error timeout http_502 http_503;
            proxy_next_upstream_tries 2;
        }}
        # A request in flight on a server that died (a POST cannot be sent twice): a page
        # that says so in Indonesian, as 503, instead of nginx's bare 502.
        error_page 502 504 =503 /gangguan.html;
        location = /gangguan.html {{
            root {static};
            default_type "text/html; charset=utf-8";
            internal;
        }}
    }}
}}
"""
