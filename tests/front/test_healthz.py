from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.conftest import run_worker
from verifikasi.core.models import WorkerHeartbeat


def test_it_reports_503_without_a_worker_heartbeat(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["database"]["ok"] and body["checks"]["storage"]["ok"]
    assert body["checks"]["worker"] == {"ok": False, "last_seen": None}


def test_it_reports_200_once_the_worker_has_beaten(client, db):
    run_worker()
    response = client.get(reverse("healthz"))
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "ok"


def test_it_reports_a_stale_heartbeat(client, db):
    run_worker()
    WorkerHeartbeat.objects.update(last_seen=timezone.now() - timedelta(minutes=10))
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["ok"] is False


def test_it_reports_broken_storage(client, db, settings, tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "verifikasi.core.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": str(blocker)}}}
    run_worker()
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"]["storage"]["ok"] is False
