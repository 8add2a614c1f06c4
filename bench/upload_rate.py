"""``bench/upload.py --against-nginx``: upload rate through the app against nginx storing bodies.

Eight connections keep sending the same 10 MiB PDF (a multipart body, as a phone's browser
sends it through htmx) for a fixed time, first to nginx storing each body to disk
(``client_body_in_file_only clean``, then a 204), then through the real upload endpoint:
the app under gunicorn with production settings (DEBUG=0), a logged-in vendor, the CSRF
token, a fresh SQLite database. Both are driven by wrk (Debian package ``wrk``); nginx is
Debian's ``nginx-light``. Prints both rates, p50 latencies, the ratio and the load average.

The check of each stored upload (check_pdf in the worker) is not in the measured window:
the request stores the bytes and queues the check; afterwards the script runs the worker
on a sample of what was stored and prints how long a check takes and that it accepted it.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import httpx

from bench.running_app import (
    EMAIL,
    MIB,
    PASSWORD,
    SETUP,
    app_env,
    free_port,
    log_in,
    make_pdf,
    manage,
    start_gunicorn,
    stop,
    wait_until_up,
)

BOUNDARY = "----verifikasiBench7MA4YWxkTrZu0gW"

WRK_SCRIPT = """
local f = assert(io.open("{body}", "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
{headers}
"""

NGINX_CONF = """
daemon off;
worker_processes {workers};
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
user root;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {work}/nginx-bodies;
    proxy_temp_path {work}/nginx-proxy;
    server {{
        listen 127.0.0.1:{port};
        location = /stored {{ return 204; }}
        location = /upload {{
            client_max_body_size 60m;
            client_body_in_file_only clean;
            proxy_pass_request_body off;
            proxy_set_header Content-Length "";
            proxy_pass http://127.0.0.1:{port}/stored;
        }}
    }}
}}
"""


def tool(name: str, package: str) -> str:
    """The tool's path; installs its Debian package when missing and running as root."""
    found = shutil.which(name) or (f"/usr/sbin/{name}" if Path(f"/usr/sbin/{name}").exists()
                                   else None)
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"installing {package} (apt-get) …", flush=True)
        subprocess.run(["apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y", "-q",
                        package], check=True, stdout=subprocess.DEVNULL)
        found = shutil.which(name) or f"/usr/sbin/{name}"
        if Path(found).exists():
            return found
    sys.exit(f"{name} is missing: install the Debian package {package} "
             f"(apt-get install {package}) and run again")


def multipart_body(pdf: Path, target: Path) -> str:
    """The body a browser sends for the upload form's file field; returns its Content-Type."""
    head = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files\"; "
            f"filename=\"akta.pdf\"\r\nContent-Type: application/pdf\r\n\r\n").encode()
    with open(target, "wb") as out:
        out.write(head)
        with open(pdf, "rb") as f:
            shutil.copyfileobj(f, out, MIB)
        out.write(f"\r\n--{BOUNDARY}--\r\n".encode())
    return f"multipart/form-data; boundary={BOUNDARY}"


def wrk_script(path: Path, body: Path, headers: dict[str, str]) -> None:
    lines = "\n".join(f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items())
    path.write_text(WRK_SCRIPT.format(body=body, headers=lines))


def cpu_seconds(pid: int) -> float:
    """User + system CPU of ``pid`` and its children (nginx or gunicorn workers) so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid]
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        pids.append(int(child))
    for one in pids:
        fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def run_wrk(wrk: str, url: str, script: Path, *, connections: int, seconds: int,
            server_pid: int) -> dict:
    """wrk's figures, and the CPU the server and wrk spent per request (load-independent)."""
    import resource

    server_before = cpu_seconds(server_pid)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    wrk_before = usage.ru_utime + usage.ru_stime
    result = subprocess.run(
        [wrk, "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "30s",
         "--latency", "-s", str(script), url],
        capture_output=True, text=True, check=True)
    server_cpu = cpu_seconds(server_pid) - server_before
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    wrk_cpu = usage.ru_utime + usage.ru_stime - wrk_before
    out = result.stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    p50 = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s)\b", out, re.M)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p50[2]]
    done = int(re.search(r"(\d+) requests in", out)[1])
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {"rate": rate, "p50_ms": float(p50[1]) * scale, "requests": done,
            "bad": int(bad[1]) if bad else 0, "errors": errors[1] if errors else "", "raw": out,
            "server_ms": 1000 * server_cpu / max(done, 1),
            "wrk_ms": 1000 * wrk_cpu / max(done, 1)}


def start_nginx(nginx: str, work: Path, port: int, workers: int) -> subprocess.Popen:
    for folder in ("nginx-bodies", "nginx-proxy"):
        (work / folder).mkdir()
    conf = work / "nginx.conf"
    conf.write_text(textwrap.dedent(NGINX_CONF.format(work=work, port=port, workers=workers)))
    if os.geteuid() != 0:  # "user" is only for a master running as root
        conf.write_text(conf.read_text().replace("user root;\n", ""))
    return subprocess.Popen([nginx, "-c", str(conf), "-p", str(work), "-e",
                             str(work / "nginx-error.log")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_for_port(port: int, seconds: float = 10) -> None:
    import socket

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    sys.exit(f"nothing answers on port {port}")


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} CPUs)"


CHECK_SAMPLE = """
import time
from verifikasi.registrations.checking import document_check
from verifikasi.registrations.models import Document, DocumentCheck
docs = Document.objects.all()
print("STORED", docs.count(), docs.filter(check_state=DocumentCheck.CHECKING).count())
for doc in docs.order_by("pk")[:{sample}]:
    started = time.perf_counter()
    verdict = document_check(doc.pk)
    print("CHECKED", verdict, round(time.perf_counter() - started, 3))
"""


def against_nginx(args) -> None:
    """8 concurrent 10 MiB uploads: nginx storing the bodies, then the app (see upload_rate)."""
    wrk = tool("wrk", "wrk")
    nginx = tool("nginx", "nginx-light")
    work = Path(tempfile.mkdtemp(prefix="verifikasi-bench-rate-"))
    data_dir = work / "data"
    for folder in ("tmp", "static"):
        (data_dir / folder).mkdir(parents=True)
    servers = []
    try:
        pdf, body = work / "akta-10mb.pdf", work / "body.multipart"
        print(f"writing a {args.size_mb} MiB PDF and its multipart body …", flush=True)
        make_pdf(pdf, args.size_mb * MIB)
        content_type = multipart_body(pdf, body)
        common = {"Content-Type": content_type}

        port = free_port()
        servers.append(start_nginx(nginx, work, port, args.workers))
        wait_for_port(port)
        script = work / "nginx.lua"
        wrk_script(script, body, common)
        print(f"nginx: {args.connections} connections for {args.seconds} s …", flush=True)
        base = run_wrk(wrk, f"http://127.0.0.1:{port}/upload", script,
                                   connections=args.connections, seconds=args.seconds,
                                   server_pid=servers[-1].pid)
        stop(servers.pop())
        stored_by_nginx = list((work / "nginx-bodies").rglob("*"))

        port = free_port()
        env = app_env(data_dir, port, max(20, args.size_mb + 5))
        print("preparing a fresh database and a vendor …", flush=True)
        manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "createcachetable")
        out = manage(env, "shell", "-c", SETUP.format(email=EMAIL, password=PASSWORD))
        code = re.search(r"CODE (\S+)", out)[1]
        servers.append(start_gunicorn(env, port, args.workers, work / "gunicorn.log"))
        app_base = f"http://127.0.0.1:{port}"
        wait_until_up(app_base, servers[-1])
        with httpx.Client(base_url=app_base, timeout=60) as client:
            log_in(client)
            cookies = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
            csrf = client.cookies["csrftoken"]
        script = work / "app.lua"
        wrk_script(script, body, {**common, "Cookie": cookies, "X-CSRFToken": csrf,
                                              "HX-Request": "true"})
        print(f"app:   {args.connections} connections for {args.seconds} s …", flush=True)
        app = run_wrk(wrk, f"{app_base}/pendaftaran/{code}/dokumen/ktp/unggah/",
                                  script, connections=args.connections, seconds=args.seconds,
                                  server_pid=servers[-1].pid)
        load = load_average()
        stop(servers.pop())
        sample = manage(env, "shell", "-c", CHECK_SAMPLE.format(sample=3))

        for name, result in (("nginx", base), ("app", app)):
            if result["bad"] or result["errors"]:
                print(result["raw"])
                sys.exit(f"{name}: {result['bad']} responses not 2xx/3xx, socket errors: "
                         f"{result['errors'] or 'none'}")
        stored, checking = map(int, re.search(r"STORED (\d+) (\d+)", sample).groups())
        checks = re.findall(r"CHECKED (\w+) ([\d.]+)", sample)
        size = body.stat().st_size / MIB
        print()
        print(f"body:    {size:.1f} MiB multipart (a {args.size_mb} MiB PDF), "
              f"{args.connections} connections, {args.seconds} s each, wrk")
        print(f"nginx:   {base['rate']:7.1f} uploads/s   p50 {base['p50_ms']:7.1f} ms   "
              f"({base['requests']} bodies stored to disk and deleted, "
              f"{len(stored_by_nginx)} left)")
        print(f"app:     {app['rate']:7.1f} uploads/s   p50 {app['p50_ms']:7.1f} ms   "
              f"({stored} documents stored, {checking} of them queued for the check)")
        print(f"ratio:   {app['rate'] / base['rate']:.2f} (goal >= 0.5)")
        print(f"CPU:     per upload, nginx {base['server_ms']:.1f} ms + wrk "
              f"{base['wrk_ms']:.1f} ms; app {app['server_ms']:.1f} ms + wrk "
              f"{app['wrk_ms']:.1f} ms "
              f"(server ratio {base['server_ms'] / app['server_ms']:.2f}: the machine's load "
              "changes the rates, hardly the CPU each upload costs)")
        print(f"load:    {load} (load average when the app run ended)")
        print(f"check:   {', '.join(f'{v} in {s} s' for v, s in checks)} "
              "(the worker's check of the first stored uploads, run afterwards)")
    finally:
        for server in servers:
            stop(server)
        if args.keep:
            print(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


