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
import textwrap
import time
from pathlib import Path

MIB = 1024 * 1024
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
