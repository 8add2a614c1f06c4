"""The fault run: the whole system on this machine, vendors and verifiers at work, six faults.

Starts a private PostgreSQL cluster, moto's S3 server, an SMTP server that keeps every
message, two gunicorn app servers (DEBUG off) behind nginx and two task workers; drives
``--vendors`` journeys over HTTP (sign-up to receipt, with the verifier's review,
scheduling, call, recording and certificate) while it injects, one after another: SIGKILL
of a worker mid-task, SMTP down 60 s, a PostgreSQL fast restart, the S3 store down 30 s,
SIGKILL of one app server, an upload cut off mid-body. Then it lets the system settle and
counts, per fault and in total, what was lost, duplicated, orphaned, stuck or broken.

    .venv/bin/python bench/faults.py                 # about 8 minutes on 2 cores
    .venv/bin/python bench/faults.py --vendors 40 --concurrency 6 --keep

The last line is ``faults: lost L, duplicated D, orphaned O, stuck S, broken B``; the exit
code is 1 when any is not zero. docs/scale.md explains what each count means.
"""

import argparse
import itertools
import os
import queue
import shutil
import signal
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from faultrun import checks, db, inject  # noqa: E402
from faultrun import stack as stackmod  # noqa: E402
from faultrun.client import Browser, Errors  # noqa: E402
from faultrun.journey import STOP, Journey  # noqa: E402
from faultrun.mailbox import Mailbox  # noqa: E402
from faultrun.report import print_report  # noqa: E402
from faultrun.seed import seed_code, staff_accounts  # noqa: E402


def log(line: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())}] {line}", flush=True)


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vendors", type=int, default=24, help="journeys in all (24)")
    parser.add_argument("--concurrency", type=int, default=4,
                        help="journeys at the same time, one verifier each (4)")
    parser.add_argument("--duration", type=float, default=240,
                        help="seconds over which the journeys are started (240)")
    parser.add_argument("--recovery", type=float, default=20,
                        help="seconds of normal work after each fault (20)")
    parser.add_argument("--drain", type=float, default=180,
                        help="after the faults, at most this many seconds for the journeys "
                             "and the queued work to finish (180)")
    parser.add_argument("--keep", action="store_true", help="keep the folder with the logs")
    return parser.parse_args()


def pending() -> int:
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from verifikasi.notifications.models import OutboundEmail

    db.fresh()
    due = DBTaskResult.objects.filter(status="READY", run_after__lte=timezone.now()).count()
    running = DBTaskResult.objects.filter(status="RUNNING").count()
    mail = OutboundEmail.objects.filter(status__in=["queued", "sending"]).count()
    return due + running + mail


def main() -> int:
    args = arguments()
    if not stackmod.install_nginx():
        print("ERROR: nginx is missing (Debian: apt-get install nginx-light, as root)",
              file=sys.stderr)
        return 2
    missing = stackmod.missing_tools()
    if missing:
        print("ERROR: this machine lacks: " + "; ".join(missing), file=sys.stderr)
        return 2
    folder = Path(tempfile.mkdtemp(prefix="faultrun-"))
    stack = stackmod.Stack(folder, log=log)
    stop = threading.Event()

    def interrupted(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)  # also when started in the background
    try:
        return run(args, stack, stop)
    except KeyboardInterrupt:
        log("interrupted: stopping everything")
        return 130
    finally:
        stop.set()
        STOP.set()
        stack.stop()
        if args.keep:
            log(f"logs and data kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def run(args, stack, stop) -> int:
    started = time.time()
    log(f"fault run: {args.vendors} journeys, {args.concurrency} at a time, "
        f"in {stack.folder}")
    stack.start_all()
    stack.manage("shell", "-c", seed_code(args.concurrency))
    db.setup(stack.env)

    def supervise():
        while not stop.wait(1):
            stack.watch()

    threading.Thread(target=supervise, daemon=True).start()
    errors = Errors()
    mailbox = Mailbox(stack.mail_dir)
    staff = queue.Queue()
    for email, role in staff_accounts(args.concurrency):
        if role == "verifier":
            staff.put(Browser(stack.url, email, errors, ip="10.250.0.1"))
    journeys: list[Journey] = []

    def one(n: int) -> Journey:
        verifier = staff.get()
        journey = Journey(n, stack.url, errors, mailbox, verifier, db.call_time_arrives)
        journeys.append(journey)
        try:
            journey.run()
        finally:
            staff.put(verifier)
        return journey

    pool = ThreadPoolExecutor(max_workers=args.concurrency)
    futures = []

    def feed():
        gap = args.duration / max(args.vendors, 1)
        for n in range(1, args.vendors + 1):
            if stop.is_set():
                return
            futures.append(pool.submit(one, n))
            time.sleep(gap)

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    windows = [("before the faults", started)]
    time.sleep(args.recovery)
    cutter = Journey(10_000, stack.url, errors, mailbox,
                     Browser(stack.url, "unused", errors), db.call_time_arrives)
    actions = {
        "worker": lambda: inject.worker_kill(stack, db.fresh),
        "smtp": lambda: inject.outage(stack, "smtp", inject.SMTP_DOWN),
        "postgres": lambda: inject.postgres_restart(stack),
        "s3": lambda: inject.outage(stack, "s3", inject.S3_DOWN),
        "app": lambda: inject.app_kill(stack),
        "upload": lambda: inject.upload_cut(stack, cutter),
    }
    notes = {}
    for title, key in inject.FAULTS:
        windows.append((title, time.time()))
        log(f"fault: {title}")
        try:
            notes[title] = actions[key]()
        except Exception as e:  # the fault could not be done as planned: say so, go on
            notes[title] = f"could not be injected as planned: {type(e).__name__}: {e}"
        log(f"   {notes[title]}")
        time.sleep(args.recovery)
    windows.append(("after the faults", time.time()))
    feeder.join()
    log("waiting for the journeys and the queued work (emails, tasks) to finish")
    deadline = time.monotonic() + args.drain
    wait(list(futures), timeout=args.drain)
    STOP.set()
    for tick in itertools.count():
        left = pending()
        if left == 0 or time.monotonic() > deadline:
            break
        if tick % 15 == 0:
            log(f"   {left} emails/tasks still due")
        time.sleep(1)
    time.sleep(2)
    stop.set()
    pool.shutdown(wait=False, cancel_futures=True)
    cpu = stack.cpu_seconds()
    db.fresh()
    report = checks.Report()
    checks.emails(report, mailbox)
    checks.files(report, stack.s3(), stackmod.S3_BUCKET)
    checks.lifecycle(report)
    checks.tasks(report)
    checks.certificates(report)
    checks.audit(report, stack.manage)
    for at, name, code in stack.deaths:
        report.add("broken", at, f"{name} exited by itself (code {code})")
    for journey in journeys:
        if journey.failed:
            report.add("broken", time.time(), f"journey {journey.n} did not finish: "
                                              f"{journey.failed}")
    completed = sum(1 for j in journeys if not j.failed and len(j.done) >= 16)
    report.facts["journeys"] = f"{completed} of {len(journeys)} completed (sign-up to receipt)"
    report.facts["database"] = db.size_summary()
    report.facts["cpu"] = (", ".join(f"{kind} {seconds:.0f} s" for kind, seconds in
                                     sorted(cpu.items()))
                           + " (CPU time of the processes alive at the end)")
    report.facts["load"] = "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    report.facts["took"] = f"{time.time() - started:.0f} s"
    return print_report(report, windows, notes, errors)


if __name__ == "__main__":
    sys.exit(main())
