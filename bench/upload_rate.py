"""``bench/upload.py --against-nginx``: upload rate through the app against nginx storing bodies.

Eight connections keep sending the same 10 MiB PDF (a multipart body, as a phone's browser
sends it through htmx) for a fixed time, alternately (``--rounds``) to

- **nginx alone** storing each body to disk (``client_body_in_file_only clean``, then a 204);
- **the deployment of docs/deploy.md § 9**: nginx in front of gunicorn (sync workers,
  production settings, DEBUG=0, a fresh SQLite database); in the upload location nginx
  stores the body in ``UPLOAD_BODY_DIR`` and hands the application its name
  (``X-Upload-Body-File``, ``TRUSTED_PROXIES=127.0.0.1``); the request goes to the real
  upload endpoint with a logged-in vendor's session cookie, the CSRF token in
  ``X-CSRFToken`` and ``HX-Request`` (as upload.js sends it).

``--direct`` measures the application without nginx instead (gunicorn reads every body
itself, as before the handoff). Both sides are driven by wrk (Debian package ``wrk``);
nginx is Debian's ``nginx-light``. Prints both rates, p50 latencies, the ratio, the CPU
each upload cost every server process (read from /proc: far steadier than the rates on a
shared machine) and the load average.

The check of each stored upload (the worker: taking the body apart, check_pdf) is not in
the measured window: the request stores the bytes and queues the check; afterwards the
script runs the worker on a sample of what was stored and prints how long a check takes
and that it accepted it.
"""

import os
import re
import shutil
import statistics
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
from bench.upload_rate_conf import (
    NGINX_APP_CONF,
    NGINX_CONF,
    WRK_SCRIPT,
    deploy_upload_locations,
)

BOUNDARY = "----verifikasiBench7MA4YWxkTrZu0gW"


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


def wrk_script(path: Path, body: Path, headers: dict[str, str], paths=()) -> None:
    """wrk's Lua: the body, the headers, and the URL paths the threads take (if any)."""
    lines = "\n".join(f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items())
    path.write_text(WRK_SCRIPT.format(body=body, headers=lines,
                                      paths=", ".join(f'"{p}"' for p in paths)))


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
            servers: dict[str, int]) -> dict:
    """wrk's figures, and the CPU each server (and wrk) spent per request (load-independent)."""
    import resource

    before = {name: cpu_seconds(pid) for name, pid in servers.items()}
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    wrk_before = usage.ru_utime + usage.ru_stime
    load_before = os.getloadavg()[0]
    result = subprocess.run(
        [wrk, "-t", str(connections), "-c", str(connections), "-d", f"{seconds}s",
         "--timeout", "30s",
         "--latency", "-s", str(script), url],
        capture_output=True, text=True, check=True)
    cpu = {name: cpu_seconds(pid) - before[name] for name, pid in servers.items()}
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
            "cpu_ms": {name: 1000 * c / max(done, 1) for name, c in cpu.items()},
            "wrk_ms": 1000 * wrk_cpu / max(done, 1),
            "load": (load_before + os.getloadavg()[0]) / 2}


def start_nginx(nginx: str, work: Path, port: int, workers: int, *, template: str = NGINX_CONF,
                name: str = "nginx", **extra) -> subprocess.Popen:
    for folder in (f"{name}-bodies", f"{name}-proxy"):
        (work / folder).mkdir(exist_ok=True)
    conf = work / f"{name}.conf"
    conf.write_text(textwrap.dedent(template.format(work=work, port=port, workers=workers,
                                                    **extra)))
    if os.geteuid() != 0:  # "user" is only for a master running as root
        conf.write_text(conf.read_text().replace("user root;\n", ""))
    return subprocess.Popen([nginx, "-c", str(conf), "-p", str(work), "-e",
                             str(work / f"{name}-error.log")],
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
import resource, time
from verifikasi.registrations.checking import document_check
from verifikasi.registrations.models import Document, DocumentCheck
docs = Document.objects.all()
print("STORED", docs.count(), docs.filter(check_state=DocumentCheck.CHECKING).count())

def cpu():  # this process and the children check_pdf renders pages in
    return sum(u.ru_utime + u.ru_stime for u in (resource.getrusage(resource.RUSAGE_SELF),
                                                 resource.getrusage(resource.RUSAGE_CHILDREN)))

for doc in docs.order_by("pk")[:{sample}]:
    started, cpu_started = time.perf_counter(), cpu()
    verdict = document_check(doc.pk)
    print("CHECKED", verdict, round(time.perf_counter() - started, 3),
          round(cpu() - cpu_started, 3))
"""


def _app_stack(args, nginx: str, work: Path, data_dir: Path) -> tuple[list, str, str, list, dict]:
    """gunicorn (and, unless --direct, nginx in front with the handoff); the servers, the
    URL wrk drives and the registration's code."""
    servers = []
    app_port = free_port()
    body_dir = data_dir / "nginx-body"  # on the private storage's filesystem
    body_dir.mkdir()
    env = app_env(data_dir, app_port, max(20, args.size_mb + 5))
    env.update(TRUSTED_PROXIES="127.0.0.1", UPLOAD_BODY_DIR=str(body_dir))
    print("preparing a fresh database and a vendor …", flush=True)
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "createcachetable")
    manage(env, "collectstatic", "--no-input", "-v", "0")  # production static files
    out = manage(env, "shell", "-c", SETUP.format(email=EMAIL, password=PASSWORD))
    code = re.search(r"CODE (\S+)", out)[1]
    types = re.search(r"TYPES (\S+)", out)[1].split(",")
    servers.append(("gunicorn", start_gunicorn(env, app_port, args.workers,
                                               work / "gunicorn.log",
                                               worker_class=args.worker_class,
                                               threads=args.threads)))
    wait_until_up(f"http://127.0.0.1:{app_port}", servers[-1][1])
    base = f"http://127.0.0.1:{app_port}"
    if not args.direct:
        port = free_port()
        servers.append(("nginx", start_nginx(nginx, work, port, args.workers,
                                             template=NGINX_APP_CONF, name="nginx-app",
                                             app_port=app_port, handoff="" if args.no_handoff
                                             else deploy_upload_locations(
                                                 body_dir, f"http://127.0.0.1:{app_port}"))))
        wait_for_port(port)
        base = f"http://127.0.0.1:{port}"
    return servers, base, code, types, env


def _profile(app_servers, seconds: int, work: Path) -> list[subprocess.Popen]:
    """py-spy on every gunicorn worker for the app's run (``--profile``; needs py-spy)."""
    from bench.running_app import BIN, children

    [master] = [s for n, s in app_servers if n == "gunicorn"]
    return [subprocess.Popen([str(BIN / "py-spy"), "record", "--pid", str(pid), "--duration",
                              str(seconds), "--rate", "250", "--format", "raw",
                              "--nonblocking", "--output", str(work / f"py-spy.{pid}.txt")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for pid in children(master.pid)]


def _release_bodies(data_dir: Path, keep: int = 8) -> None:
    """Between rounds, outside the measured time: delete the stored bodies of this round's
    uploads (all but the first ``keep``, which the worker checks at the end).

    In production the worker takes each body apart within seconds and the machine's page
    cache recycles its own pages. Here nothing is checked during the run, so a run would
    keep 10+ GB of bodies in the page cache, and on a VM that hands its free memory back to
    the host (virtio-balloon free page reporting, as on the development container) every
    new page of it is a fault on the host, charged to nginx's write(): nginx's CPU per
    upload triples once a few GB are kept. nginx alone deletes each body at once and never
    pays it. ``--keep-bodies`` keeps them, to see that effect.
    """
    bodies = sorted((p for p in (data_dir / "private").glob("registrations/*/incoming/*")
                     if p.is_file()), key=lambda p: p.stat().st_mtime)
    for body in bodies[keep:]:
        body.unlink()


def _summary(name: str, runs: list[dict]) -> dict:
    rates = sorted(r["rate"] for r in runs)
    middle = rates[len(rates) // 2]
    run = next(r for r in runs if r["rate"] == middle)
    cpu = {k: statistics.median(r["cpu_ms"][k] for r in runs) for k in runs[0]["cpu_ms"]}
    return {"name": name, "rate": middle, "p50_ms": run["p50_ms"], "cpu_ms": cpu,
            "wrk_ms": statistics.median(r["wrk_ms"] for r in runs),
            "requests": sum(r["requests"] for r in runs)}


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
        servers.append(("nginx", start_nginx(nginx, work, port, args.workers)))
        wait_for_port(port)
        nginx_script = work / "nginx.lua"
        wrk_script(nginx_script, body, common)

        app_servers, app_base, code, types, env = _app_stack(args, nginx, work, data_dir)
        servers += app_servers
        with httpx.Client(base_url=app_base, timeout=60) as client:
            log_in(client)
            cookies = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
            csrf = client.cookies["csrftoken"]
        app_script = work / "app.lua"
        # Each connection (a wrk thread) uploads to one of the registration's documents: a
        # vendor does not send the same one hundreds of times (and the card's query for the
        # accepted version walks the versions still being checked: no worker runs meanwhile).
        paths = [f"/pendaftaran/{code}/dokumen/{t}/unggah/" for t in types]
        wrk_script(app_script, body, {**common, "Cookie": cookies, "X-CSRFToken": csrf,
                                      "HX-Request": "true"}, paths)
        app_url = f"{app_base}{paths[0]}"
        side = ("gunicorn alone (--direct)" if args.direct else
                "nginx + gunicorn, no handoff" if args.no_handoff else "nginx + gunicorn (handoff)")

        # Warm-up, not measured: every gunicorn worker imports the views and opens its
        # database connection on its first requests.
        run_wrk(wrk, app_url, app_script, connections=args.connections, seconds=2, servers={})
        base_runs, app_runs = [], []
        for number in range(1, args.rounds + 1):
            print(f"round {number}/{args.rounds}: nginx alone, {args.connections} connections "
                  f"for {args.seconds} s …", flush=True)
            base_runs.append(run_wrk(wrk, f"http://127.0.0.1:{port}/upload", nginx_script,
                                     connections=args.connections, seconds=args.seconds,
                                     servers={"nginx": servers[0][1].pid}))
            print(f"round {number}/{args.rounds}: {side} …", flush=True)
            spies = _profile(app_servers, args.seconds, work) if args.profile else []
            app_runs.append(run_wrk(wrk, app_url, app_script, connections=args.connections,
                                    seconds=args.seconds,
                                    servers={n: s.pid for n, s in app_servers}))
            for spy in spies:
                spy.wait()
            if not args.keep_bodies:
                _release_bodies(data_dir)
        load = load_average()
        if args.profile:
            from bench.pages_measure import hottest

            hottest(sorted(work.glob("py-spy.*.txt")), top=45)
        for _, server in reversed(servers):
            stop(server)
        servers = []
        left = [p for p in (data_dir / "nginx-body").rglob("*") if p.is_file()]
        sample = manage(env, "shell", "-c", CHECK_SAMPLE.format(sample=3))

        for name, result in [("nginx", r) for r in base_runs] + [("app", r) for r in app_runs]:
            if result["bad"] or result["errors"]:
                print(result["raw"])
                sys.exit(f"{name}: {result['bad']} responses not 2xx/3xx, socket errors: "
                         f"{result['errors'] or 'none'}")
        stored, checking = map(int, re.search(r"STORED (\d+) (\d+)", sample).groups())
        checks = re.findall(r"CHECKED (\w+) ([\d.]+) ([\d.]+)", sample)
        size = body.stat().st_size / MIB
        print()
        print(f"body:    {size:.1f} MiB multipart (a {args.size_mb} MiB PDF), "
              f"{args.connections} connections, {args.seconds} s x {args.rounds} rounds each, "
              f"wrk; {args.workers} nginx worker processes, {args.workers} gunicorn "
              f"{args.worker_class} workers" + (f" x {args.threads} threads"
                                               if args.threads > 1 else ""))
        for number, (b, a) in enumerate(zip(base_runs, app_runs, strict=True), start=1):
            print(f"round {number}: nginx {b['rate']:6.1f}/s p50 {b['p50_ms']:6.0f} ms | app "
                  f"{a['rate']:6.1f}/s p50 {a['p50_ms']:6.0f} ms | "
                  f"ratio {a['rate'] / b['rate']:.2f} | CPU/upload {sum(b['cpu_ms'].values()):.1f}"
                  f" / {sum(a['cpu_ms'].values()):.1f} ms ("
                  + " + ".join(f"{k} {v:.1f}" for k, v in a["cpu_ms"].items())
                  + f") | load {b['load']:.1f} / {a['load']:.1f}")
        base, app = _summary("nginx", base_runs), _summary("app", app_runs)
        print(f"nginx:   {base['rate']:7.1f} uploads/s   p50 {base['p50_ms']:7.1f} ms   "
              f"({base['requests']} bodies stored to disk and deleted; median round)")
        print(f"app:     {app['rate']:7.1f} uploads/s   p50 {app['p50_ms']:7.1f} ms   "
              f"({stored} documents stored, {checking} of them queued for the check, "
              f"{len(left)} bodies left in UPLOAD_BODY_DIR) — {side}")
        ratios = [a["rate"] / b["rate"] for a, b in zip(app_runs, base_runs, strict=True)]
        print(f"ratio:   {app['rate'] / base['rate']:.2f} of the median rounds; per round "
              f"{', '.join(f'{r:.2f}' for r in ratios)} (goal >= 0.5)")
        base_cpu = sum(base["cpu_ms"].values())
        app_cpu = sum(app["cpu_ms"].values())
        parts = " + ".join(f"{k} {v:.1f} ms" for k, v in app["cpu_ms"].items())
        print(f"CPU:     per upload, nginx alone {base_cpu:.1f} ms; app side {parts} = "
              f"{app_cpu:.1f} ms (ratio {base_cpu / app_cpu:.2f}); wrk {base['wrk_ms']:.1f} / "
              f"{app['wrk_ms']:.1f} ms. With wrk's own CPU (same machine): "
              f"{(base_cpu + base['wrk_ms']) / (app_cpu + app['wrk_ms']):.2f}")
        print(f"load:    {load} (load average when the last run ended)")
        print(f"check:   {', '.join(f'{v} in {s} s ({c} s CPU)' for v, s, c in checks)} "
              "(the worker's check of the first stored uploads, run afterwards: not in the "
              "rates above)")
    finally:
        for _, server in reversed(servers):
            stop(server)
        if args.keep:
            print(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
