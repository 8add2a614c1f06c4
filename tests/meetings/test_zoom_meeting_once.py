"""A Zoom meeting is created once, even when the run that created it died before recording it.

Zoom has no idempotency key, so each creating run first marks the meeting
(create_started_at); a later run of a marked meeting looks for it in the host's
meeting list (our meeting's code is in the agenda) and adopts it.
"""

from datetime import timedelta

from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.conftest import run_worker
from verifikasi.meetings.models import Meeting, MeetingState
from verifikasi.meetings.providers import get_provider
from verifikasi.meetings.services import meeting_schedule


def _schedule(registration, start_at, verifier):
    return meeting_schedule(registration=registration, start_at=start_at, actor=verifier)


def _worker_died_after_zoom_created_it(meeting):
    """The first run marked the meeting, Zoom created it, then the worker was killed."""
    Meeting.objects.filter(pk=meeting.pk).update(create_started_at=timezone.now())
    meeting.refresh_from_db()
    info = get_provider(meeting.office).create(meeting)
    DBTaskResult.objects.filter(task_path__endswith="meeting_create_run").update(
        status=TaskResultStatus.RUNNING, worker_ids=["killed-worker"],
        started_at=timezone.now() - timedelta(minutes=5))
    return info


def test_a_run_after_a_crash_adopts_the_meeting_zoom_created(
    zoom_office, fake_zoom, registration_documents_accepted, start_at, verifier
):
    meeting = _schedule(registration_documents_accepted, start_at, verifier)
    first = _worker_died_after_zoom_created_it(meeting)

    run_worker()  # recovery gives the task back; it runs again
    run_worker()  # the update it enqueued: the newest time, to be sure

    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CREATED
    assert meeting.external_id == first.external_id
    assert meeting.join_url == first.join_url
    assert len(fake_zoom.calls("POST", "/v2/users/")) == 1  # no second meeting
    assert [m.id for m in fake_zoom.meetings.values() if not m.deleted] == [int(first.external_id)]
    assert f"Ref: {meeting.code}" in fake_zoom.calls("POST", "/v2/users/")[0].json["agenda"]
    assert meeting.synced_sequence == meeting.sequence
    assert fake_zoom.calls("PATCH", f"/v2/meetings/{first.external_id}")


def test_a_run_after_a_crash_before_zoom_answered_creates_it(
    zoom_office, fake_zoom, registration_documents_accepted, start_at, verifier
):
    meeting = _schedule(registration_documents_accepted, start_at, verifier)
    Meeting.objects.filter(pk=meeting.pk).update(create_started_at=timezone.now())

    run_worker()

    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CREATED
    assert fake_zoom.calls("GET", "/v2/users/me/meetings")  # looked first, found nothing
    assert len(fake_zoom.calls("POST", "/v2/users/")) == 1


def test_a_first_run_does_not_look(
    zoom_office, fake_zoom, registration_documents_accepted, start_at, verifier
):
    meeting = _schedule(registration_documents_accepted, start_at, verifier)

    run_worker()

    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CREATED
    assert meeting.create_started_at is not None
    assert fake_zoom.calls("GET", "/v2/users/") == []
