"""C.3: the Zoom meeting is created, moved and deleted by the worker, through
the fake Zoom over HTTP; a Zoom outage is a visible state and a retry."""

import re
from datetime import UTC, timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from tests.conftest import run_worker
from tests.meetings import queued
from verifikasi.core.models import AuditEvent
from verifikasi.meetings import sync
from verifikasi.meetings.models import Meeting, MeetingSettings, MeetingState
from verifikasi.meetings.providers import get_provider
from verifikasi.meetings.services import (
    meeting_cancel,
    meeting_reschedule,
    meeting_retry,
    meeting_schedule,
)
from verifikasi.meetings.sync import retry_delay


def _schedule(registration_documents_accepted, start_at, verifier=None, **kwargs):
    return meeting_schedule(
        registration=registration_documents_accepted, start_at=start_at, actor=verifier, **kwargs
    )


def test_it_creates_the_zoom_meeting_in_the_worker_not_in_the_request(
    zoom_office, fake_zoom, registration_documents_accepted, start_at, verifier
):
    meeting = _schedule(registration_documents_accepted, start_at, verifier)

    assert meeting.state == MeetingState.PENDING
    assert meeting.provider == "zoom"
    assert fake_zoom.requests == []  # nothing called from the confirmation itself

    run_worker()

    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CREATED
    [create] = fake_zoom.calls("POST", "/v2/users/")
    assert create.path == "/v2/users/me/meetings"
    assert create.status == 201
    body = create.json
    assert body["type"] == 2
    assert body["start_time"] == start_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert body["start_time"].endswith("T03:00:00Z")  # 10:00 WIB
    assert body["timezone"] == "Asia/Pontianak"
    assert body["duration"] == 30
    assert body["settings"]["auto_recording"] == "cloud"
    assert body["settings"]["waiting_room"] is True
    assert body["settings"]["join_before_host"] is False
    assert re.fullmatch(r"[A-Za-z0-9]{10}", body["password"])
    assert "CV Maju Jaya" in body["topic"]
    assert "dokumen asli" in body["agenda"]

    zoom_meeting = fake_zoom.meetings[meeting.external_id]
    assert meeting.external_id == str(zoom_meeting.id)
    assert meeting.join_url.startswith("https://fake.zoom.test/j/")
    assert "zak=" in meeting.host_url
    assert meeting.password == body["password"]
    assert meeting.attempts == 0 and meeting.last_error == ""
    events = list(AuditEvent.objects.filter(object_id=str(meeting.code))
                  .values_list("action", flat=True))
    assert events == ["meeting.scheduled", "meeting.created"]


def test_it_creates_nothing_when_the_confirmation_rolls_back(
    zoom_office, fake_zoom, registration_documents_accepted, start_at
):
    try:
        with transaction.atomic():
            _schedule(registration_documents_accepted, start_at)
            raise RuntimeError("the confirmation failed")
    except RuntimeError:
        pass

    assert not Meeting.objects.exists()
    run_worker()
    assert fake_zoom.requests == []


def test_it_moves_the_zoom_meeting_on_reschedule_and_raises_the_sequence(
    zoom_office, fake_zoom, registration_documents_accepted, start_at, verifier
):
    meeting = _schedule(registration_documents_accepted, start_at, verifier)
    run_worker()
    meeting.refresh_from_db()
    join_url = meeting.join_url

    new_time = start_at + timedelta(days=2, hours=3)
    meeting = meeting_reschedule(meeting=meeting, start_at=new_time, actor=verifier,
                                 duration_minutes=45)
    assert meeting.sequence == 1
    assert fake_zoom.calls("PATCH") == []
    run_worker()

    [patch] = fake_zoom.calls("PATCH", f"/v2/meetings/{meeting.external_id}")
    assert patch.status == 204
    assert patch.json["start_time"] == new_time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert patch.json["duration"] == 45
    assert patch.json["timezone"] == "Asia/Pontianak"
    meeting.refresh_from_db()
    assert meeting.synced_sequence == 1
    assert meeting.join_url == join_url  # the vendor's link stays the same
    assert AuditEvent.objects.filter(action="meeting.rescheduled",
                                     object_id=str(meeting.code)).count() == 1
    assert AuditEvent.objects.filter(action="meeting.updated",
                                     object_id=str(meeting.code)).count() == 1


def test_it_creates_a_meeting_rescheduled_before_creation_once_at_the_new_time(
    zoom_office, fake_zoom, registration_documents_accepted, start_at, verifier
):
    meeting = _schedule(registration_documents_accepted, start_at, verifier)
    new_time = start_at + timedelta(hours=2)
    meeting_reschedule(meeting=meeting, start_at=new_time, actor=verifier)

    run_worker()

    [create] = fake_zoom.calls("POST", "/v2/users/")
    assert create.json["start_time"] == new_time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert fake_zoom.calls("PATCH") == []


def test_it_deletes_the_zoom_meeting_on_cancel(
    zoom_office, fake_zoom, registration_documents_accepted, start_at, verifier
):
    meeting = _schedule(registration_documents_accepted, start_at, verifier)
    run_worker()
    meeting.refresh_from_db()

    meeting = meeting_cancel(meeting=meeting, actor=verifier)
    assert meeting.state == MeetingState.CANCELLED
    run_worker()

    [delete] = fake_zoom.calls("DELETE", f"/v2/meetings/{meeting.external_id}")
    assert delete.status == 204
    assert fake_zoom.meetings[meeting.external_id].deleted
    assert AuditEvent.objects.filter(action="meeting.deleted").count() == 1

    # Cancelling again changes nothing and calls nobody.
    meeting_cancel(meeting=meeting, actor=verifier)
    run_worker()
    assert len(fake_zoom.calls("DELETE")) == 1


def test_it_treats_a_meeting_already_gone_at_zoom_as_deleted(
    zoom_office, fake_zoom, registration_documents_accepted, start_at, verifier
):
    meeting = _schedule(registration_documents_accepted, start_at, verifier)
    run_worker()
    meeting.refresh_from_db()
    fake_zoom.meetings[meeting.external_id].deleted = True  # someone deleted it in Zoom

    meeting_cancel(meeting=meeting, actor=verifier)
    run_worker()

    [delete] = fake_zoom.calls("DELETE")
    assert delete.status == 404
    meeting.refresh_from_db()
    assert meeting.last_error == ""
    assert AuditEvent.objects.filter(action="meeting.deleted").count() == 1


def test_it_never_creates_a_meeting_cancelled_before_the_worker_ran(
    zoom_office, fake_zoom, registration_documents_accepted, start_at, verifier
):
    meeting = _schedule(registration_documents_accepted, start_at, verifier)
    meeting_cancel(meeting=meeting, actor=verifier)

    run_worker()

    assert fake_zoom.calls("POST", "/v2/") == []
    assert fake_zoom.calls("DELETE") == []


def test_it_reuses_the_access_token_across_calls(
    zoom_office, fake_zoom, registration_documents_accepted, start_at, verifier
):
    meeting = _schedule(registration_documents_accepted, start_at, verifier)
    run_worker()
    meeting.refresh_from_db()
    meeting_reschedule(meeting=meeting, start_at=start_at + timedelta(hours=1), actor=verifier)
    run_worker()
    meeting_cancel(meeting=meeting, actor=verifier)
    run_worker()

    assert len(fake_zoom.token_requests()) == 1
    [token_call] = fake_zoom.token_requests()
    assert token_call.query == {"grant_type": "account_credentials",
                                "account_id": "fake-account-id"}
    assert token_call.headers["authorization"].startswith("Basic ")
    assert len(fake_zoom.calls(path_prefix="/v2/")) == 3


def test_it_renews_a_refused_token_and_retries_the_call_exactly_once(
    zoom_office, fake_zoom, registration_documents_accepted, start_at, verifier
):
    meeting = _schedule(registration_documents_accepted, start_at, verifier)
    run_worker()
    meeting.refresh_from_db()
    fake_zoom.revoke_tokens()  # e.g. the app's credentials were rotated

    meeting_reschedule(meeting=meeting, start_at=start_at + timedelta(hours=1), actor=verifier)
    run_worker()

    assert len(fake_zoom.token_requests()) == 2
    patches = fake_zoom.calls("PATCH")
    assert [c.status for c in patches] == [401, 204]
    assert patches[0].headers["authorization"] != patches[1].headers["authorization"]
    meeting.refresh_from_db()
    assert meeting.synced_sequence == 1


def test_it_gives_up_after_one_retry_when_even_a_new_token_is_refused(
    zoom_office, fake_zoom, registration_documents_accepted, start_at, verifier
):
    fake_zoom.reject_all_tokens = True  # e.g. the app lacks the meeting scopes
    meeting = _schedule(registration_documents_accepted, start_at, verifier)

    run_worker()

    assert len(fake_zoom.token_requests()) == 2
    assert [c.status for c in fake_zoom.calls("POST", "/v2/")] == [401, 401]
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.FAILED
    assert "401" in meeting.last_error


def test_it_gets_a_new_token_when_the_cached_one_expires(
    zoom_office, fake_zoom, registration_documents_accepted, start_at, verifier
):
    meeting = _schedule(registration_documents_accepted, start_at, verifier)
    run_worker()
    meeting.refresh_from_db()

    with time_machine.travel(timezone.now() + timedelta(minutes=58), tick=True):
        # Within the safety margin before expiry: a fresh token, no 401 first.
        meeting_reschedule(meeting=meeting, start_at=start_at + timedelta(hours=1),
                           actor=verifier)
        run_worker()

    assert len(fake_zoom.token_requests()) == 2
    assert [c.status for c in fake_zoom.calls("PATCH")] == [204]


def test_it_keeps_the_meeting_pending_while_zoom_is_down_and_creates_it_once_when_back(
    zoom_office, fake_zoom, registration_documents_accepted, start_at, verifier
):
    fake_zoom.go_down()  # connection refused
    meeting = _schedule(registration_documents_accepted, start_at, verifier)

    run_worker()

    meeting.refresh_from_db()
    assert meeting.state == MeetingState.FAILED_RETRYING
    assert meeting.attempts == 1
    assert "Zoom tidak dapat dihubungi" in meeting.last_error
    assert meeting.next_attempt_at > timezone.now()
    [retry] = queued("meeting_create_run")
    assert retry.run_after == meeting.next_attempt_at
    assert retry.run_after - timezone.now() > retry_delay(1) - timedelta(seconds=5)
    event = AuditEvent.objects.get(action="meeting.create_failed")
    assert event.details["attempts"] == 1 and event.details["final"] is False

    # Back, but the retry is not due yet: nothing happens.
    fake_zoom.come_back()
    run_worker()
    assert fake_zoom.calls("POST", "/v2/") == []

    with time_machine.travel(meeting.next_attempt_at + timedelta(seconds=1), tick=True):
        run_worker()
        run_worker()

    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CREATED
    assert meeting.last_error == ""
    assert len(fake_zoom.calls("POST", "/v2/users/")) == 1
    assert len(fake_zoom.meetings) == 1


def test_it_backs_off_exponentially_while_zoom_answers_503(
    zoom_office, fake_zoom, registration_documents_accepted, start_at, verifier
):
    fake_zoom.go_down(status=503)
    meeting = _schedule(registration_documents_accepted, start_at, verifier)
    gaps = []
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(3):
            run_worker()
            meeting.refresh_from_db()
            gaps.append(meeting.next_attempt_at - timezone.now())
            traveller.move_to(meeting.next_attempt_at)

    assert meeting.state == MeetingState.FAILED_RETRYING
    assert meeting.attempts == 3
    assert "HTTP 503" in meeting.last_error
    assert gaps == [retry_delay(1), retry_delay(2), retry_delay(3)]
    assert gaps[1] == 2 * gaps[0] and gaps[2] == 2 * gaps[1]


def test_it_fails_visibly_without_retrying_when_zoom_refuses_the_credentials(
    zoom_office, fake_zoom, registration_documents_accepted, start_at, verifier
):
    MeetingSettings.objects.filter(office=zoom_office).update(zoom_client_secret="salah")
    meeting = _schedule(registration_documents_accepted, start_at, verifier)

    run_worker()

    meeting.refresh_from_db()
    assert meeting.state == MeetingState.FAILED
    assert "menolak kredensial" in meeting.last_error
    assert meeting.next_attempt_at is None
    assert not queued("meeting_create_run").exists()
    assert len(fake_zoom.token_requests()) == 1

    # Once the admin fixes the secret, staff try again.
    MeetingSettings.objects.filter(office=zoom_office).update(
        zoom_client_secret="fake-client-secret")
    meeting_retry(meeting=meeting, actor=verifier)
    run_worker()
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CREATED


def test_it_refuses_a_naive_start_time(zoom_office, registration_documents_accepted, start_at):
    with pytest.raises(ValueError):
        _schedule(registration_documents_accepted, start_at.replace(tzinfo=None))


def test_a_meeting_cancelled_while_zoom_was_creating_it_is_deleted_there(
    zoom_office, fake_zoom, registration_documents_accepted, start_at, verifier
):
    meeting = _schedule(registration_documents_accepted, start_at, verifier)
    info = get_provider(zoom_office, "zoom").create(meeting)  # the worker's call to Zoom...
    meeting_cancel(meeting=meeting, actor=verifier)  # ...while staff cancel

    assert sync._created(meeting, info, sequence=0) is False
    run_worker()

    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CANCELLED
    assert meeting.external_id == info.external_id
    assert fake_zoom.meetings[info.external_id].deleted


def test_a_meeting_moved_while_zoom_was_creating_it_gets_the_new_time(
    zoom_office, fake_zoom, registration_documents_accepted, start_at, verifier
):
    meeting = _schedule(registration_documents_accepted, start_at, verifier)
    info = get_provider(zoom_office, "zoom").create(meeting)
    new_time = start_at + timedelta(hours=4)
    meeting_reschedule(meeting=meeting, start_at=new_time, actor=verifier)

    assert sync._created(meeting, info, sequence=0) is True
    run_worker()

    [patch] = fake_zoom.calls("PATCH")
    assert patch.json["start_time"] == new_time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    meeting.refresh_from_db()
    assert meeting.synced_sequence == meeting.sequence == 1
