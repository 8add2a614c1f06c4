"""Zoom's signed webhook: URL validation, and recording.completed copying the MP4
into private storage once, however often Zoom sends the event."""

import hashlib
import hmac
import json
import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.conftest import run_worker
from tests.meetings import mp4_bytes, queued
from tests.meetings.conftest import WEBHOOK_SECRET
from verifikasi.core.models import AuditEvent
from verifikasi.meetings.models import Meeting, MeetingSettings, Provider, Recording
from verifikasi.meetings.services import meeting_schedule

URL = "/webhooks/zoom/"

# Known answer, computed once outside the app from the values below:
# "v0=" + hex(HMAC-SHA256(secret, "v0:" + timestamp + ":" + body)).
KNOWN_SECRET = WEBHOOK_SECRET  # "k7Qz1vR0aWebhookSecretToken"
KNOWN_TIMESTAMP = "1795000000"  # 2026-11-18 11:06:40 UTC
KNOWN_BODY = (b'{"event":"endpoint.url_validation","payload":{"plainToken":'
              b'"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1795000000123}')
KNOWN_SIGNATURE = "v0=36fc07cfa5c556b91fc2dc0ac486d44e74fe956b9ab5f4223ea84cfef75f3958"
# hex(HMAC-SHA256(secret, "qgg8vlvZRS6UYooatFL8Aw"))
KNOWN_ENCRYPTED_TOKEN = "09153376326d1ccf1fce8bd421d63a325a62f337479a5da6e3cf076e488b641a"
KNOWN_NOW = datetime.fromtimestamp(int(KNOWN_TIMESTAMP), UTC)


def sign(body: bytes, timestamp: str, secret: str = WEBHOOK_SECRET) -> str:
    message = f"v0:{timestamp}:".encode() + body
    return "v0=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def post(client, body: bytes, *, timestamp: str | None = None, signature: str | None = None):
    timestamp = timestamp or str(int(time.time()))
    return client.post(URL, body, content_type="application/json",
                       headers={"x-zm-request-timestamp": timestamp,
                                "x-zm-signature": signature or sign(body, timestamp)})


def post_event(client, event: dict):
    return post(client, json.dumps(event).encode())


@pytest.fixture
def zoom_meeting(zoom_office, registration_documents_accepted, start_at, verifier):
    meeting = meeting_schedule(
        registration=registration_documents_accepted, start_at=start_at, actor=verifier
    )
    run_worker()
    meeting.refresh_from_db()
    assert meeting.external_id
    return meeting


# --- signature ----------------------------------------------------------------


def test_it_accepts_the_known_answer_signature_and_answers_url_validation(client, zoom_office):
    with time_machine.travel(KNOWN_NOW + timedelta(seconds=2), tick=False):
        response = post(client, KNOWN_BODY, timestamp=KNOWN_TIMESTAMP,
                        signature=KNOWN_SIGNATURE)

    assert response.status_code == 200
    assert response.json() == {"plainToken": "qgg8vlvZRS6UYooatFL8Aw",
                               "encryptedToken": KNOWN_ENCRYPTED_TOKEN}


def test_it_refuses_a_body_with_one_byte_flipped(client, zoom_office):
    flipped = bytearray(KNOWN_BODY)
    flipped[40] ^= 0x01
    with time_machine.travel(KNOWN_NOW, tick=False):
        response = post(client, bytes(flipped), timestamp=KNOWN_TIMESTAMP,
                        signature=KNOWN_SIGNATURE)

    assert response.status_code == 401


def test_it_refuses_a_signature_made_with_another_secret(client, zoom_office):
    with time_machine.travel(KNOWN_NOW, tick=False):
        response = post(client, KNOWN_BODY, timestamp=KNOWN_TIMESTAMP,
                        signature=sign(KNOWN_BODY, KNOWN_TIMESTAMP, "another-secret"))

    assert response.status_code == 401


def test_it_refuses_a_correctly_signed_request_six_minutes_old(client, zoom_office):
    with time_machine.travel(KNOWN_NOW + timedelta(minutes=6), tick=False):
        response = post(client, KNOWN_BODY, timestamp=KNOWN_TIMESTAMP,
                        signature=KNOWN_SIGNATURE)

    assert response.status_code == 401


def test_it_refuses_a_timestamp_six_minutes_in_the_future(client, zoom_office):
    with time_machine.travel(KNOWN_NOW - timedelta(minutes=6), tick=False):
        response = post(client, KNOWN_BODY, timestamp=KNOWN_TIMESTAMP,
                        signature=KNOWN_SIGNATURE)

    assert response.status_code == 401


def test_it_refuses_requests_without_signature_headers(client, zoom_office):
    response = client.post(URL, KNOWN_BODY, content_type="application/json")

    assert response.status_code == 401


def test_it_refuses_everything_when_no_office_has_a_webhook_secret(client, office):
    MeetingSettings.objects.create(office=office, provider=Provider.ZOOM)

    response = post(client, KNOWN_BODY, signature=sign(KNOWN_BODY, str(int(time.time())), ""))

    assert response.status_code == 401


def test_it_only_answers_post(client, zoom_office):
    assert client.get(URL).status_code == 405
    assert client.put(URL, KNOWN_BODY).status_code == 405


def test_it_answers_400_to_a_signed_body_that_is_not_json(client, zoom_office):
    assert post(client, b"{not json").status_code == 400
    assert post(client, b"[1, 2]").status_code == 400
    assert post(client, b"\xff\xfe").status_code == 400
    assert post(client, json.dumps({"event": "endpoint.url_validation",
                                    "payload": {}}).encode()).status_code == 400


def test_it_acknowledges_events_it_does_not_use(client, zoom_office):
    response = post_event(client, {"event": "meeting.started", "payload": {"object": {}}})

    assert response.status_code == 200


# --- recording.completed ------------------------------------------------------------


def test_it_stores_the_mp4_of_a_completed_recording_with_its_sha256(
    client, fake_zoom, zoom_meeting
):
    video = mp4_bytes(seconds=1475)
    files = fake_zoom.finish_meeting(zoom_meeting.external_id, video)
    event = fake_zoom.recording_completed_event(zoom_meeting.external_id)

    response = post_event(client, event)

    assert response.status_code == 200
    assert queued("recording_fetch_run").count() == 1  # the MP4 only, not the M4A or chat
    assert not Recording.objects.exists()  # nothing downloaded in the request
    run_worker()

    recording = Recording.objects.get()
    assert recording.meeting == zoom_meeting
    assert recording.registration == zoom_meeting.registration
    assert recording.source == "zoom_cloud"
    assert recording.external_file_id == files[0]["id"]
    served = fake_zoom.file_bytes(files[0]["id"])
    assert recording.sha256 == hashlib.sha256(served).hexdigest()
    assert recording.size == len(served) == len(video)
    assert recording.content_type == "video/mp4"
    assert recording.duration_seconds == 1475
    assert recording.recorded_start == datetime(2026, 12, 1, 2, 0, 5, tzinfo=UTC)
    assert recording.uploaded_by is None
    with recording.file.open("rb") as fh:
        assert fh.read() == video
    assert recording.file.name.startswith(f"recordings/{zoom_meeting.registration.code}/")
    assert recording.delete_after == timezone.localdate(recording.recorded_start) + timedelta(
        days=5 * 365)
    # Downloaded with the webhook's download token, following Zoom's redirect.
    [download] = fake_zoom.calls("GET", "/rec/download/")
    assert download.headers["authorization"] == f"Bearer {event['download_token']}"
    assert download.status == 302
    assert fake_zoom.calls("GET", "/rec/play/")[0].status == 200


def test_it_stores_the_recording_once_when_zoom_sends_the_event_twice(
    client, fake_zoom, zoom_meeting
):
    fake_zoom.finish_meeting(zoom_meeting.external_id, mp4_bytes())
    event = fake_zoom.recording_completed_event(zoom_meeting.external_id)

    assert post_event(client, event).status_code == 200
    assert post_event(client, event).status_code == 200  # before the worker ran
    run_worker()
    assert post_event(client, event).status_code == 200  # after it stored the file
    run_worker()

    assert Recording.objects.count() == 1
    assert len(fake_zoom.calls("GET", "/rec/play/")) == 1


def test_it_falls_back_to_the_app_token_when_the_download_token_expired(
    client, fake_zoom, zoom_meeting
):
    video = mp4_bytes()
    fake_zoom.finish_meeting(zoom_meeting.external_id, video)
    event = fake_zoom.recording_completed_event(zoom_meeting.external_id)
    fake_zoom.download_tokens.clear()  # the 24-hour download token has expired

    post_event(client, event)
    run_worker()

    assert Recording.objects.get().sha256 == hashlib.sha256(video).hexdigest()
    assert [c.status for c in fake_zoom.calls("GET", "/rec/download/")] == [401, 302]


def test_it_acknowledges_a_recording_of_a_meeting_it_does_not_know(client, fake_zoom,
                                                                   zoom_office):
    fake_zoom.finish_meeting("12345678901", mp4_bytes())
    event = fake_zoom.recording_completed_event("12345678901")

    response = post_event(client, event)

    assert response.status_code == 200
    assert response.json() == {"status": "unknown meeting"}
    assert not queued("recording_fetch_run").exists()


def test_it_ignores_another_offices_meeting_signed_with_this_offices_secret(
    client, fake_zoom, zoom_meeting, other_office
):
    # The other office has its own Zoom account and secret; a request signed
    # with it cannot make us fetch recordings into this office's meeting.
    MeetingSettings.objects.create(office=other_office, provider=Provider.ZOOM,
                                   zoom_webhook_secret_token="sambas-secret")
    fake_zoom.finish_meeting(zoom_meeting.external_id, mp4_bytes())
    body = json.dumps(fake_zoom.recording_completed_event(zoom_meeting.external_id)).encode()
    timestamp = str(int(time.time()))

    response = post(client, body, timestamp=timestamp,
                    signature=sign(body, timestamp, "sambas-secret"))

    assert response.status_code == 200
    assert response.json() == {"status": "unknown meeting"}
    assert not queued("recording_fetch_run").exists()


def test_it_never_sends_a_zoom_token_to_a_download_url_outside_zoom(
    client, fake_zoom, zoom_meeting
):
    fake_zoom.finish_meeting(zoom_meeting.external_id, mp4_bytes())
    event = fake_zoom.recording_completed_event(zoom_meeting.external_id)
    for f in event["payload"]["object"]["recording_files"]:
        f["download_url"] = "https://attacker.example/steal"

    post_event(client, event)
    run_worker()

    assert not Recording.objects.exists()
    assert fake_zoom.calls("GET", "/rec/") == []
    meeting = Meeting.objects.get()
    failure = AuditEvent.objects.get(action="recording.store_failed", object_id=str(meeting.code))
    assert "bukan alamat Zoom" in failure.details["error"]



def test_it_asks_zoom_to_retry_when_it_cannot_queue_the_download(
    client, fake_zoom, zoom_meeting, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("database unavailable")

    monkeypatch.setattr("verifikasi.meetings.recordings.zoom_recording_completed", broken)
    fake_zoom.finish_meeting(zoom_meeting.external_id, mp4_bytes())

    response = post_event(client, fake_zoom.recording_completed_event(zoom_meeting.external_id))

    assert response.status_code == 503
