"""Upload benchmark: a 50 MB PDF through the running app, against a plain file copy.

DESIGN's budget: the peak RSS of a web worker grows by at most a few MB for a 50 MB upload
(the body streams to disk; nothing reads a whole file into memory). This script

1. writes a ~50 MiB PDF that ``check_pdf`` accepts (pages of random-noise RGB images stored
   uncompressed, so the size is real and nothing compresses it away);
2. prepares a throw-away DATA_DIR (SQLite, private storage) with ``manage.py migrate`` and a
   vendor with a draft registration (``manage.py shell``);
3. starts gunicorn from the venv, one sync worker, DEBUG=0, on a free loopback port, with
   UPLOAD_MAX_MB=60 (the default limit of 20 MB would refuse the file);
4. logs in over HTTP with a session (the real allauth login form and CSRF token), uploads a
   small PDF to warm the worker up, resets the worker's peak-RSS counter (VmHWM), then streams
   the big PDF with httpx and reads /proc/<worker>/status again;
5. copies the same file with ``shutil.copyfile`` as the baseline and prints both.

Run: ``.venv/bin/python bench/upload.py`` (Linux only: it reads /proc). Not part of the tests.

``--against-nginx`` measures the upload *rate* instead: 8 concurrent 10 MiB PDFs through the
app against nginx storing the same bodies to disk (see ``bench/upload_rate.py``).
"""

import argparse
import hashlib
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import upload_rate  # noqa: E402 - needs the project on sys.path
from bench.running_app import (  # noqa: E402
    EMAIL,
    MIB,
    PASSWORD,
    SETUP,
    app_env,
    children,
    free_port,
    log_in,
    make_pdf,
    manage,
    start_gunicorn,
    stop,
    wait_until_up,
)
from verifikasi.core import pdfcheck  # noqa: E402 - needs the project on sys.path

CHECK = """
from verifikasi.registrations.checking import document_check
from verifikasi.registrations.models import Document
for d in Document.objects.order_by("pk"):
    document_check(d.pk)  # what the worker does after the upload
    d.refresh_from_db()
    print("DOC", d.document_type.code, d.version, d.size, d.page_count, d.original_sha256)
"""


def memory_kib(pid: int) -> dict[str, int]:
    status = Path(f"/proc/{pid}/status").read_text()
    return {key: int(re.search(rf"^{key}:\s+(\d+) kB", status, re.M)[1])
            for key in ("VmRSS", "VmHWM")}


def reset_peak(pid: int) -> bool:
    """Set VmHWM back to the current RSS (Linux 4.0+); False where not allowed."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def upload(client: httpx.Client, code: str, type_code: str, path: Path) -> tuple[int, float]:
    url = f"/pendaftaran/{code}/dokumen/{type_code}/unggah/"
    headers = {"X-CSRFToken": client.cookies["csrftoken"]}
    started = time.perf_counter()
    with open(path, "rb") as f:  # httpx reads the file in chunks while it sends
        response = client.post(url, headers=headers,
                               files={"files": (path.name, f, "application/pdf")})
    elapsed = time.perf_counter() - started
    if response.status_code != 302 or "#doc-" not in response.headers.get("location", ""):
        sys.exit(f"upload of {path.name} refused: {response.status_code}\n{response.text[:500]}")
    return response.status_code, elapsed


def best_copy_seconds(source: Path, target: Path, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        target.unlink(missing_ok=True)
        started = time.perf_counter()
        shutil.copyfile(source, target)
        best = min(best, time.perf_counter() - started)
    target.unlink()
    return best


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(MIB):
            digest.update(chunk)
    return digest.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mb", type=int, default=None,
                        help="PDF size in MiB (default 50; 10 with --against-nginx)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--against-nginx", action="store_true",
                        help="upload rate at 8 connections against nginx storing the bodies")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2,
                        help="gunicorn sync workers and nginx worker processes (default 2)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="--against-nginx: alternate nginx and the app this many times")
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"],
                        help="--against-nginx: gunicorn's worker class (default sync)")
    parser.add_argument("--threads", type=int, default=1, help="with --worker-class gthread")
    parser.add_argument("--profile", action="store_true",
                        help="--against-nginx: py-spy the gunicorn workers (the hottest frames)")
    parser.add_argument("--no-handoff", action="store_true",
                        help="--against-nginx: nginx in front passes the bodies on to gunicorn "
                             "(the deployment before the handoff)")
    parser.add_argument("--keep-bodies", action="store_true",
                        help="--against-nginx: keep every stored body between rounds (by "
                             "default they are deleted between rounds, as the worker would "
                             "take them apart; see upload_rate._release_bodies)")
    parser.add_argument("--direct", action="store_true",
                        help="--against-nginx: gunicorn reads the bodies itself (no nginx "
                             "in front, no handoff), as before")
    args = parser.parse_args()
    if args.against_nginx:
        args.size_mb = args.size_mb or 10
        upload_rate.against_nginx(args)
        return
    args.size_mb = args.size_mb or 50
    if not Path("/proc/self/status").exists():
        sys.exit("this benchmark reads /proc: run it on Linux")

    work = Path(tempfile.mkdtemp(prefix="verifikasi-bench-"))
    data_dir = work / "data"
    for folder in ("tmp", "static"):
        (data_dir / folder).mkdir(parents=True)
    big, small = work / "akta-50mb.pdf", work / "npwp.pdf"
    server = None
    try:
        print(f"writing a {args.size_mb} MiB PDF …", flush=True)
        make_pdf(big, args.size_mb * MIB)
        make_pdf(small, 200 * 1024, pages=1)

        port = free_port()
        max_mb = max(60, args.size_mb + 10)  # the default 20 MB limit would refuse the file
        env = app_env(data_dir, port, max_mb)
        print("preparing a fresh database and a vendor …", flush=True)
        manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "createcachetable")
        manage(env, "collectstatic", "--no-input", "-v", "0")  # production static files
        out = manage(env, "shell", "-c", SETUP.format(email=EMAIL, password=PASSWORD))
        code = re.search(r"CODE (\S+)", out)[1]

        server = start_gunicorn(env, port, 1, work / "gunicorn.log")
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base, server)
        [worker] = children(server.pid)

        with httpx.Client(base_url=base, timeout=300) as client:
            log_in(client)
            upload(client, code, "npwp", small)  # warm-up: imports, templates, connections
            # The same request with a small file: what any upload costs, whatever its size.
            small_before = memory_kib(worker)
            exact = reset_peak(worker)
            upload(client, code, "npwp", small)
            small_after = memory_kib(worker)
            before = memory_kib(worker)
            exact = reset_peak(worker) and exact
            status, seconds = upload(client, code, "ktp", big)
            after = memory_kib(worker)

        started = time.perf_counter()
        check = pdfcheck.check_pdf(big, max_bytes=max_mb * MIB, timeout_seconds=120)
        check_seconds = time.perf_counter() - started

        copy_seconds = best_copy_seconds(big, work / "copy.pdf")
        docs = [line.split() for line in manage(env, "shell", "-c", CHECK).splitlines()
                if line.startswith("DOC ")]
        stored = next(d for d in docs if d[1] == "ktp")
        # Stored is the normalized PDF (as big, give or take the rewritten xref table); the
        # upload's own hash is recorded beside it.
        assert abs(int(stored[3]) - big.stat().st_size) < MIB and stored[5] == sha256(big), stored

        size_mb = big.stat().st_size / MIB
        peak_growth = (after["VmHWM"] - before["VmRSS"]) / 1024
        small_growth = (small_after["VmHWM"] - small_before["VmRSS"]) / 1024
        print()
        print(f"file:                 {size_mb:.1f} MiB PDF, {stored[4]} pages "
              "(accepted by check_pdf, stored normalized with the upload's SHA-256)")
        print(f"upload through app:   {seconds:.2f} s  = {size_mb / seconds:7.1f} MiB/s "
              f"(HTTP {status}; stored as sent, the check queued for the worker)")
        print(f"worker's check_pdf:   {check_seconds:.2f} s (the same file checked on its own: "
              f"{check.page_count} pages rendered in a child process, after the response)")
        print(f"plain file copy:      {copy_seconds:.3f} s = {size_mb / copy_seconds:7.1f} MiB/s "
              "(shutil.copyfile, best of 3)")
        print(f"ratio:                the upload takes {seconds / copy_seconds:.1f}× "
              "as long as the copy")
        print(f"web worker RSS:       {before['VmRSS'] / 1024:.1f} MiB before, "
              f"peak {after['VmHWM'] / 1024:.1f} MiB during, {after['VmRSS'] / 1024:.1f} MiB "
              "after")
        note = "" if exact else " (VmHWM could not be reset: includes the warm-up's peak)"
        print(f"peak RSS growth:      {peak_growth:.1f} MiB for a {size_mb:.0f} MiB upload "
              f"(budget: a few MB){note}")
        print(f"                      {small_growth:.1f} MiB for a "
              f"{small.stat().st_size / 1024:.0f} KiB upload (the same request, small file)")
    finally:
        stop(server)
        if args.keep:
            print(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
