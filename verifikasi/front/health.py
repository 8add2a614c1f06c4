"""What /healthz checks: each dependency, cheaply (it is polled), without personal data.

- ``database``: a ``SELECT 1``;
- ``storage``: a small file written, read back and deleted (local folder or bucket);
- ``worker``: how many workers beat within ``WORKER_LEASE_SECONDS``, and the newest beat;
- ``queue``: how long the longest-waiting due task has waited, and how many RUNNING
  tasks have no live worker (the recovery pass gives those back; normally 0);
- ``mail``: emails due for delivery, the oldest one's wait, and those waiting for a retry;
- ``whatsapp``: how many offices have it configured and enabled, and the last failed or
  uncertain message (informational: WhatsApp is optional, so it never fails the check).
- ``ocr``: whether the engine that reads the NIK on a KTP is there (issue 20). Informative
  only: without it the verifier gets no NIK hint, nothing else stops, so it never fails
  the check ("ok" stays true; "available" and "detail" say what is missing).

A balancer that only needs to know whether *this node* can serve asks
``/healthz?scope=node`` (database and storage only): a dead worker or a mail
backlog is the installation's problem, and taking every node out of rotation
for it would only add an outage.
"""


from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Min, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from verifikasi.core.models import WorkerHeartbeat
from verifikasi.core.recovery import lease, oldest_ready_age, tasks_stale_count
from verifikasi.notifications.models import EmailStatus, OutboundEmail
from verifikasi.registrations import ocr
from verifikasi.whatsapp.selectors import whatsapp_health

PROBE = b"verifikasi healthz"


def _error(e: Exception) -> dict:
    return {"ok": False, "error": type(e).__name__}


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True}
    except Exception as e:  # any failure is the answer, not a crash
        return _error(e)


def check_storage() -> dict:
    try:
        name = default_storage.save("healthz/probe.txt", ContentFile(PROBE))
        try:
            with default_storage.open(name, "rb") as f:
                readable = f.read() == PROBE
        finally:
            default_storage.delete(name)
        return {"ok": readable} if readable else {"ok": False, "error": "read back differs"}
    except Exception as e:
        return _error(e)


def check_worker(now) -> dict:
    fresh = WorkerHeartbeat.objects.filter(last_seen__gte=now - lease())
    last = WorkerHeartbeat.objects.order_by("-last_seen").values_list("last_seen", flat=True)
    last = last.first()
    alive = fresh.count()
    return {"ok": alive > 0, "alive": alive, "last_seen": last.isoformat() if last else None}


def check_queue(now) -> dict:
    age = oldest_ready_age(now=now)
    stale = tasks_stale_count(now=now)
    ok = stale == 0 and (age is None or age <= settings.HEALTH_QUEUE_MAX_AGE_SECONDS)
    return {"ok": ok, "oldest_ready_seconds": None if age is None else round(age),
            "stale_running": stale}


def check_mail(now) -> dict:
    queued = OutboundEmail.objects.filter(status=EmailStatus.QUEUED)
    due = queued.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    # Waiting since its retry fell due, or since it was queued.
    oldest = due.aggregate(t=Min(Coalesce("next_attempt_at", "created_at")))["t"]
    age = (now - oldest).total_seconds() if oldest else None
    return {
        "ok": age is None or age <= settings.HEALTH_MAIL_MAX_AGE_SECONDS,
        "due": due.count(),
        "oldest_due_seconds": None if age is None else round(age),
        "waiting_retry": queued.filter(next_attempt_at__gt=now).count(),
        "sending": OutboundEmail.objects.filter(status=EmailStatus.SENDING).count(),
    }


def check_ocr() -> dict:
    try:
        status = ocr.engine_status()
    except Exception as e:  # a hint's engine never fails the health check
        return {"ok": True, "available": False, "detail": type(e).__name__}
    return {"ok": True, "available": status.available, "detail": status.detail}


def health_report(*, node_only: bool = False) -> dict:
    checks = {"database": check_database(), "storage": check_storage()}
    if not node_only:
        now = timezone.now()
        for name, check in (("worker", check_worker), ("queue", check_queue),
                            ("mail", check_mail), ("whatsapp", whatsapp_health)):
            if not checks["database"]["ok"]:
                checks[name] = {"ok": False, "error": "database unavailable"}
                continue
            try:
                checks[name] = check(now)
            except Exception as e:
                checks[name] = _error(e)
        checks["ocr"] = check_ocr()
    ok = all(c["ok"] for c in checks.values())
    return {"status": "ok" if ok else "fail", "checks": checks}



