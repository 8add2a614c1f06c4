"""The worker's side of a video call: create, move and delete it at the provider.

Each run loads the meeting, calls the provider outside any transaction, then
records the result with a conditional UPDATE; a failure is retried with backoff
and shown to the staff when it is final.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from verifikasi.core.audit import audit_log
from verifikasi.core.queue import enqueue

from .invitation import meeting_invite_vendor
from .models import Meeting, MeetingState
from .providers import MeetingInfo, ProviderError, get_provider

logger = logging.getLogger(__name__)

TASKS = "verifikasi.meetings.tasks."
# Creating/moving/deleting at the provider: 1, 2, 4, ... minutes, at most an hour apart.
RETRY_BASE = timedelta(minutes=1)
RETRY_MAX_DELAY = timedelta(hours=1)
MAX_ATTEMPTS = 10
# Cloud recordings: first look 15 minutes after the call, then less and less often.
POLL_FIRST_DELAY = timedelta(minutes=15)
POLL_MAX_DELAY = timedelta(hours=12)
POLL_LIMIT = timedelta(days=7)
FETCH_MAX_ATTEMPTS = 6

ACTIVE_CREATE_STATES = (MeetingState.PENDING, MeetingState.FAILED_RETRYING)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after the given number of failed attempts."""
    return min(RETRY_BASE * (2 ** max(attempts - 1, 0)), RETRY_MAX_DELAY)


def poll_delay(attempt: int) -> timedelta:
    return min(POLL_FIRST_DELAY * (2 ** attempt), POLL_MAX_DELAY)


def _load(meeting_id: int) -> Meeting | None:
    return (Meeting.objects.select_related("office", "registration", "created_by")
            .filter(pk=meeting_id).first())


def _call(fn, *args):
    """A provider call; any unexpected error counts as a failed, retryable attempt."""
    try:
        return fn(*args)
    except ProviderError:
        raise
    except Exception as e:
        logger.exception("video call provider call failed unexpectedly")
        raise ProviderError(f"{type(e).__name__}: {e}"[:2000], retryable=True) from e


def _info_fields(info: MeetingInfo) -> dict:
    return {"external_id": info.external_id, "join_url": info.join_url,
            "host_url": info.host_url, "password": info.password}


def _created(meeting: Meeting, info: MeetingInfo, *, sequence: int) -> bool:
    """Record a meeting the provider created; False if it was cancelled meanwhile."""
    now = timezone.now()
    with transaction.atomic():
        updated = Meeting.objects.filter(pk=meeting.pk, state__in=ACTIVE_CREATE_STATES).update(
            state=MeetingState.CREATED, synced_sequence=sequence, attempts=0, last_error="",
            next_attempt_at=None, updated_at=now, **_info_fields(info))
        if updated:
            meeting.refresh_from_db()
            audit_log(action="meeting.created", office=meeting.office, obj=meeting,
                      details={"provider": meeting.provider,
                               "external_id": meeting.external_id})
            meeting_invite_vendor(meeting)
            _after_sync(meeting, sequence)
            return True
        # Cancelled while the provider was creating it: remember it, then delete it.
        orphan = Meeting.objects.filter(pk=meeting.pk, state=MeetingState.CANCELLED,
                                        external_id="").update(external_id=info.external_id,
                                                               updated_at=now)
        if orphan:
            enqueue(TASKS + "meeting_delete_run", meeting.pk)
    if not orphan:
        _discard(meeting, info)
    return False


def _discard(meeting: Meeting, info: MeetingInfo) -> None:
    """Best effort: delete a duplicate a concurrent run created (the row keeps the first)."""
    duplicate = Meeting(pk=meeting.pk, office=meeting.office, registration=meeting.registration,
                        provider=meeting.provider, external_id=info.external_id,
                        start_at=meeting.start_at, duration_minutes=meeting.duration_minutes)
    try:
        _call(get_provider(meeting.office, meeting.provider).delete, duplicate)
    except ProviderError as e:
        logger.error("meeting %s: could not delete duplicate %s: %s", meeting.code,
                     info.external_id, e.message)


def _synced(meeting: Meeting, info: MeetingInfo | None, *, sequence: int) -> None:
    """Record that the provider has the meeting at the time of ``sequence``."""
    fields = {"synced_sequence": sequence, "attempts": 0, "last_error": "",
              "next_attempt_at": None, "updated_at": timezone.now()}
    if info is not None:
        fields.update(join_url=info.join_url, host_url=info.host_url,
                      password=info.password or meeting.password)
    with transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk, state=MeetingState.CREATED).update(**fields)
        meeting.refresh_from_db()
        audit_log(action="meeting.updated", office=meeting.office, obj=meeting,
                  details={"sequence": sequence, "start_at": meeting.start_at})
        _after_sync(meeting, sequence)


def _after_sync(meeting: Meeting, sequence: int) -> None:
    if meeting.sequence != sequence:
        # Moved while we were talking to the provider: send the newer time too.
        enqueue(TASKS + "meeting_update_run", meeting.pk)
    elif get_provider(meeting.office, meeting.provider).supports_cloud_recording:
        _schedule_poll(meeting, attempt=0)


def _failed(meeting: Meeting, error: ProviderError, *, task, action: str,
            states: tuple, failed_state: str | None = None, retry_state: str | None = None,
            until=None) -> str:
    """After a failed provider call: retry with backoff, or give up visibly."""
    attempts = meeting.attempts + 1
    now = timezone.now()
    give_up = (not error.retryable or attempts >= MAX_ATTEMPTS
               or (until is not None and now >= until))
    next_at = None if give_up else now + retry_delay(attempts)
    fields = {"attempts": attempts, "last_error": error.message[:2000],
              "next_attempt_at": next_at, "updated_at": now}
    state = failed_state if give_up else retry_state
    if state:
        fields["state"] = state
    with transaction.atomic():
        updated = Meeting.objects.filter(pk=meeting.pk, state__in=states).update(**fields)
        if not updated:
            return "skipped"
        if next_at is not None:
            enqueue(task, meeting.pk, run_after=next_at)
        audit_log(action=action, office=meeting.office, obj=meeting,
                  details={"error": error.message, "attempts": attempts, "retry_at": next_at,
                           "final": give_up})
    logger.warning("meeting %s: %s (attempt %s)", meeting.code, error.message, attempts)
    return "failed" if give_up else "retry"


def meeting_create_run(meeting_id: int) -> str:
    """C.3, in the worker: create the meeting at the provider so the vendor can be invited.

    On a retryable failure the meeting is ``failed_retrying`` and the task
    comes back with exponential backoff; after the last attempt, on an error
    trying cannot fix, or once the call's time has passed, it is ``failed``.
    """
    meeting = _load(meeting_id)
    if meeting is None or meeting.state not in ACTIVE_CREATE_STATES:
        return "skipped"
    provider = get_provider(meeting.office, meeting.provider)
    sequence = meeting.sequence
    try:
        # An earlier run may have created it and died (or lost Zoom's answer)
        # before recording it: adopt that meeting rather than make a second one.
        found = _call(provider.find, meeting) if meeting.create_started_at else None
        if found is not None:
            # Its time may be an older one: recorded as never synced, so the
            # newest time is sent next (_after_sync).
            return "found" if _created(meeting, found, sequence=-1) else "cancelled"
        Meeting.objects.filter(pk=meeting.pk, state__in=ACTIVE_CREATE_STATES).update(
            create_started_at=timezone.now())
        info = _call(provider.create, meeting)
    except ProviderError as e:
        return _failed(meeting, e, task=TASKS + "meeting_create_run",
                       action="meeting.create_failed",
                       states=ACTIVE_CREATE_STATES, failed_state=MeetingState.FAILED,
                       retry_state=MeetingState.FAILED_RETRYING, until=meeting.end_at)
    return "created" if _created(meeting, info, sequence=sequence) else "cancelled"


def meeting_update_run(meeting_id: int) -> str:
    """C.8.b, in the worker: move the provider's meeting to the new time."""
    meeting = _load(meeting_id)
    if meeting is None or meeting.state != MeetingState.CREATED:
        return "skipped"  # a meeting still being created is created at the new time
    if meeting.synced_sequence is not None and meeting.synced_sequence >= meeting.sequence:
        return "up to date"
    provider = get_provider(meeting.office, meeting.provider)
    sequence = meeting.sequence
    try:
        info = _call(provider.update, meeting)
    except ProviderError as e:
        return _failed(meeting, e, task=TASKS + "meeting_update_run",
                       action="meeting.update_failed",
                       states=(MeetingState.CREATED,), until=meeting.end_at)
    _synced(meeting, info, sequence=sequence)
    return "updated"


def meeting_delete_run(meeting_id: int) -> str:
    """In the worker: delete a cancelled meeting at the provider (gone already is fine)."""
    meeting = _load(meeting_id)
    if meeting is None or meeting.state != MeetingState.CANCELLED:
        return "skipped"
    if not meeting.external_id:
        return "nothing to delete"  # never created; a creation in flight deletes it itself
    provider = get_provider(meeting.office, meeting.provider)
    try:
        _call(provider.delete, meeting)
    except ProviderError as e:
        return _failed(meeting, e, task=TASKS + "meeting_delete_run",
                       action="meeting.delete_failed",
                       states=(MeetingState.CANCELLED,))
    with transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(attempts=0, last_error="",
                                                     next_attempt_at=None)
        audit_log(action="meeting.deleted", office=meeting.office, obj=meeting,
                  details={"provider": meeting.provider, "external_id": meeting.external_id})
    return "deleted"


def _schedule_poll(meeting: Meeting, *, attempt: int) -> None:
    now = timezone.now()
    if attempt == 0:
        run_after = max(meeting.end_at + POLL_FIRST_DELAY, now)
    else:
        run_after = now + poll_delay(attempt)
    enqueue(TASKS + "recordings_poll",
        meeting.pk, meeting.sequence, attempt, run_after=run_after)
