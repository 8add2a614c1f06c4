"""C.5 without the webhook: after the call the worker asks Zoom for the recording
until the MP4 is in (a webhook can be lost or arrive days late)."""

import hashlib
from datetime import timedelta

import pytest
import time_machine

from tests.conftest import run_worker
from tests.meetings import mp4_bytes, queued
from verifikasi.core.models import AuditEvent
from verifikasi.meetings.models import Recording
from verifikasi.meetings.services import meeting_reschedule, meeting_schedule
from verifikasi.meetings.sync import POLL_FIRST_DELAY, POLL_LIMIT


@pytest.fixture
def zoom_meeting(zoom_office, registration_documents_accepted, start_at, verifier):
    meeting = meeting_schedule(
        registration=registration_documents_accepted, start_at=start_at, actor=verifier
    )
    run_worker()
    meeting.refresh_from_db()
    return meeting


def _run_at(moment):
    with time_machine.travel(moment, tick=True):
        run_worker()


def test_it_first_asks_for_the_recording_fifteen_minutes_after_the_call(zoom_meeting):
    [poll] = queued("recordings_poll")

    assert poll.run_after == zoom_meeting.end_at + POLL_FIRST_DELAY
    assert poll.args_kwargs["args"] == [zoom_meeting.pk, 0, 0]


def test_it_stores_the_recording_by_polling_when_no_webhook_arrives(fake_zoom, zoom_meeting):
    video = mp4_bytes(seconds=600)
    fake_zoom.finish_meeting(zoom_meeting.external_id, video)

    _run_at(zoom_meeting.end_at + POLL_FIRST_DELAY + timedelta(seconds=1))

    recording = Recording.objects.get()
    assert recording.sha256 == hashlib.sha256(video).hexdigest()
    assert recording.size == len(video)
    assert recording.duration_seconds == 600
    # Downloaded with the app's own token (there is no webhook download token).
    [download] = fake_zoom.calls("GET", "/rec/download/")
    token = download.headers["authorization"].removeprefix("Bearer ")
    assert token in fake_zoom.tokens
    assert AuditEvent.objects.filter(action="recording.stored",
                                     object_id=str(recording.code)).count() == 1
    # Stored: no further poll.
    assert not queued("recordings_poll").exists()


def test_it_keeps_asking_less_often_until_zoom_has_processed_the_recording(
    fake_zoom, zoom_meeting
):
    moment = zoom_meeting.end_at + POLL_FIRST_DELAY + timedelta(seconds=1)
    gaps = []
    for _ in range(3):
        _run_at(moment)
        [poll] = queued("recordings_poll")
        gaps.append(poll.run_after - moment)
        moment = poll.run_after + timedelta(seconds=1)
    assert len(fake_zoom.calls("GET", "/v2/meetings/")) == 3
    assert gaps[0] < gaps[1] < gaps[2]
    assert not Recording.objects.exists()

    fake_zoom.finish_meeting(zoom_meeting.external_id, mp4_bytes())
    _run_at(moment)

    assert Recording.objects.count() == 1
    assert not queued("recordings_poll").exists()


def test_it_gives_up_polling_a_week_after_the_call_and_says_so(fake_zoom, zoom_meeting):
    _run_at(zoom_meeting.end_at + POLL_LIMIT + timedelta(minutes=1))

    assert not queued("recordings_poll").exists()
    assert AuditEvent.objects.filter(action="recording.poll_gave_up").count() == 1


def test_it_keeps_polling_through_a_zoom_outage(fake_zoom, zoom_meeting):
    fake_zoom.go_down(status=503)
    _run_at(zoom_meeting.end_at + POLL_FIRST_DELAY + timedelta(seconds=1))
    assert queued("recordings_poll").count() == 1

    fake_zoom.come_back()
    fake_zoom.finish_meeting(zoom_meeting.external_id, mp4_bytes())
    [poll] = queued("recordings_poll")
    _run_at(poll.run_after + timedelta(seconds=1))

    assert Recording.objects.count() == 1


def test_it_polls_at_the_new_time_after_a_reschedule_and_drops_the_old_chain(
    fake_zoom, zoom_meeting, verifier
):
    old_end = zoom_meeting.end_at
    later = zoom_meeting.start_at + timedelta(days=1)
    meeting = meeting_reschedule(meeting=zoom_meeting, start_at=later, actor=verifier)
    run_worker()  # Zoom is told; a poll for the new end is queued

    polls = sorted(queued("recordings_poll"), key=lambda p: p.run_after)
    assert [p.run_after for p in polls] == [old_end + POLL_FIRST_DELAY,
                                            meeting.end_at + POLL_FIRST_DELAY]
    _run_at(polls[0].run_after + timedelta(seconds=1))  # the old one: stale, asks nobody

    assert fake_zoom.calls("GET", "/v2/meetings/") == []
    assert [p.run_after for p in queued("recordings_poll")] == [
        meeting.end_at + POLL_FIRST_DELAY]


def test_it_stores_a_recording_found_by_the_poll_and_the_webhook_once(
    client, fake_zoom, zoom_meeting
):
    from tests.meetings.test_zoom_webhook import post_event

    fake_zoom.finish_meeting(zoom_meeting.external_id, mp4_bytes())
    post_event(client, fake_zoom.recording_completed_event(zoom_meeting.external_id))
    run_worker()
    _run_at(zoom_meeting.end_at + POLL_FIRST_DELAY + timedelta(seconds=1))

    assert len(fake_zoom.calls("GET", "/v2/meetings/")) == 1  # the poll looked, found it stored

    assert Recording.objects.count() == 1
