"""/healthz: each dependency as JSON, 503 when one is sick (front.health)."""

from datetime import timedelta

from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.conftest import run_worker
from tests.notifications import queue_test_email
from verifikasi.core.models import WorkerHeartbeat
from verifikasi.notifications.models import OutboundEmail


def test_it_reports_503_without_a_worker_heartbeat(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["database"]["ok"] and body["checks"]["storage"]["ok"]
    assert body["checks"]["worker"] == {"ok": False, "alive": 0, "last_seen": None}


def test_it_reports_200_once_the_worker_has_beaten(client, db):
    run_worker()
    response = client.get(reverse("healthz"))
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "storage", "worker", "queue", "mail",
                                   "whatsapp", "ocr"}
    assert body["checks"]["worker"]["alive"] == 1
    assert body["checks"]["queue"] == {"ok": True, "oldest_ready_seconds": None,
                                       "stale_running": 0}
    assert body["checks"]["mail"] == {"ok": True, "due": 0, "oldest_due_seconds": None,
                                      "waiting_retry": 0, "sending": 0}
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_killed_worker_counts_as_down_once_its_lease_expires(client, db, settings):
    run_worker()
    WorkerHeartbeat.objects.update(
        last_seen=timezone.now() - timedelta(seconds=settings.WORKER_LEASE_SECONDS + 1))
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["ok"] is False
    assert response.json()["checks"]["worker"]["alive"] == 0


def test_it_reports_broken_storage(client, db, settings, tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "verifikasi.core.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": str(blocker)}}}
    run_worker()
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == {"ok": False, "error": "NotADirectoryError"}


def test_it_reports_a_task_left_running_by_a_dead_worker(client, office):
    queue_test_email(office)
    run_worker()
    long_ago = timezone.now() - timedelta(minutes=5)
    # The email's task (the worker's upkeep may also have queued the daily retention job).
    DBTaskResult.objects.filter(task_path__endswith=".email_deliver").update(
        status=TaskResultStatus.RUNNING, started_at=long_ago, worker_ids=["killed-worker"])
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"]["queue"]["stale_running"] == 1


def test_it_reports_a_queue_nobody_works_through(client, office, settings):
    run_worker()
    queue_test_email(office)
    OutboundEmail.objects.update(created_at=timezone.now() - timedelta(hours=1))
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(hours=1))

    body = client.get(reverse("healthz")).json()

    assert body["checks"]["queue"]["ok"] is False
    assert body["checks"]["queue"]["oldest_ready_seconds"] >= 3600
    assert body["checks"]["mail"]["ok"] is False
    assert body["checks"]["mail"]["due"] == 1
    assert "@" not in str(body)  # counts and ages, never an address


def test_the_node_scope_asks_only_what_this_node_needs(client, db):
    response = client.get(reverse("healthz"), {"scope": "node"})
    assert response.status_code == 200  # no worker, but this node can serve
    assert set(response.json()["checks"]) == {"database", "storage"}
