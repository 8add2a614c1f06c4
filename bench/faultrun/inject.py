"""The six faults, one after another. Each returns a line saying what was done.

What counts as "recovered" is not decided here: the run goes on, and the checks at the end
see what was lost. Processes the fault kills on purpose are started again as systemd would
(Restart=always): a worker and an app server after a few seconds.
"""

import os
import random
import socket
import time

from .stack import RESTART_AFTER, Stack

SMTP_DOWN = 60.0
S3_DOWN = 30.0
APP_DOWN = 10.0


def worker_kill(stack: Stack, db_fresh, timeout: float = 120.0) -> str:
    """SIGKILL the worker that is running a task, while it runs it."""
    from django_tasks_db.models import DBTaskResult

    from verifikasi.core.models import WorkerHeartbeat

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db_fresh()
        running = DBTaskResult.objects.filter(status="RUNNING").values_list(
            "id", "task_path", "worker_ids").first()
        if running is None:
            time.sleep(0.05)
            continue
        task_id, path, worker_ids = running
        pid = WorkerHeartbeat.objects.filter(worker_id=worker_ids[-1]).values_list(
            "pid", flat=True).first() if worker_ids else None
        name = next((n for n, p in stack.procs.items()
                     if n.startswith("worker") and p.pid == pid), None)
        if name is None:
            time.sleep(0.05)
            continue
        stack.kill(name)
        still = DBTaskResult.objects.filter(id=task_id, status="RUNNING").exists()
        time.sleep(RESTART_AFTER)
        stack.restart(name)
        if still:
            return f"{name} killed while running {path.rsplit('.', 1)[-1]}; restarted"
    return "no task was seen running within the wait: no worker killed"


def outage(stack: Stack, name: str, seconds: float) -> str:
    """Stop one service (the SMTP server, the S3 store's door) for ``seconds``."""
    stack.kill(name)
    time.sleep(seconds)
    stack.restart(name)
    return f"{name} down {seconds:.0f} s, then started again"


def postgres_restart(stack: Stack) -> str:
    took = stack.restart_postgres()
    return f"PostgreSQL restarted (fast mode) in {took:.1f} s"


def app_kill(stack: Stack) -> str:
    name = random.choice(["app1", "app2"])
    stack.kill(name)
    time.sleep(APP_DOWN)
    stack.restart(name)
    return f"{name} killed (SIGKILL, its whole process group), restarted after {APP_DOWN:.0f} s"


def upload_cut(stack: Stack, journey) -> str:
    """A document upload whose body stops halfway and whose connection then closes: once
    through nginx (which buffers bodies) and once straight to an app server."""
    journey.step("sign-up", journey.signup)
    journey.step("confirm email", journey.confirm)
    journey.step("company data", journey.company)
    page = journey.vendor.get(f"/pendaftaran/{journey.code}/dokumen/", "documents page")
    token = journey.vendor.http.cookies.get("csrftoken")
    from .journey import document_pdf

    # What is sent never ends, so what follows the PDF only makes the body big (2 MiB).
    pdf = document_pdf("terpotong", pages=4) + os.urandom(2 * 1024 * 1024)
    boundary = "faultrunboundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrfmiddlewaretoken\""
            f"\r\n\r\n{token}\r\n--{boundary}\r\nContent-Disposition: form-data; "
            f"name=\"files\"; filename=\"ktp.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
            ).encode() + pdf + f"\r\n--{boundary}--\r\n".encode()
    cookies = "; ".join(f"{k}={v}" for k, v in journey.vendor.http.cookies.items())
    sent = []
    for port in (stack.ports["nginx"], stack.ports["app1"]):
        head = (f"POST /pendaftaran/{journey.code}/dokumen/ktp/unggah/ HTTP/1.1\r\n"
                f"Host: 127.0.0.1:{stack.ports['nginx']}\r\n"
                f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
                f"Content-Length: {len(body)}\r\nCookie: {cookies}\r\n"
                f"Referer: {page.url}\r\nX-Forwarded-For: 10.249.0.1\r\n\r\n").encode()
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(head + body[: len(body) // 2])
            time.sleep(1)
            sock.shutdown(socket.SHUT_RDWR)
        sent.append(port)
        time.sleep(2)
    # The person tries again, with the whole file this time.
    journey.step("upload again", lambda: journey.upload("ktp"))
    return (f"upload of {len(body) // 1024} KiB cut at half, via nginx and straight to app1;"
            " then uploaded whole")


FAULTS = [
    ("worker SIGKILL mid-task", "worker"),
    ("SMTP down 60 s", "smtp"),
    ("PostgreSQL restart (fast)", "postgres"),
    ("S3 down 30 s", "s3"),
    ("app server SIGKILL", "app"),
    ("upload cut mid-body", "upload"),
]
