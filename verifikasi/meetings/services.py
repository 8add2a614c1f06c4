"""Video call services: schedule, move and cancel the meeting; keep its recordings.

Spec C.3: once the documents are complete the vendor gets an invitation link;
C.4: the call, where the vendor shows and holds the original documents; C.5:
the verifier records it "sebagai bukti pelaksanaan verifikasi".

Anything that talks to a provider over the network runs in the worker, from a
task written in the caller's transaction; a failure is a state staff can see
(``Meeting.state``, ``last_error``) and a retry with exponential backoff,
never a lost request.
"""

import hashlib
import logging
import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verifikasi.core.audit import audit_log

from .media import MediaError, MediaInfo, sniff
from .models import (
    Meeting,
    MeetingState,
    Provider,
    Recording,
    RecordingSource,
)
from .providers import (
    MeetingInfo,
    ProviderError,
    RecordingFile,
    get_provider,
    meeting_settings_for,
    parse_time,
)
from .providers.manual import validate_meeting_url
from .providers.zoom import recording_file_from_zoom

logger = logging.getLogger(__name__)

# Creating/moving/deleting at the provider: 1, 2, 4, ... minutes, at most an hour apart.
RETRY_BASE = timedelta(minutes=1)
RETRY_MAX_DELAY = timedelta(hours=1)
MAX_ATTEMPTS = 10
# Cloud recordings: first look 15 minutes after the call, then less and less often.
POLL_FIRST_DELAY = timedelta(minutes=15)
POLL_MAX_DELAY = timedelta(hours=12)
POLL_LIMIT = timedelta(days=7)
FETCH_MAX_ATTEMPTS = 6
MIN_DURATION, MAX_DURATION = 5, 480

ACTIVE_CREATE_STATES = (MeetingState.PENDING, MeetingState.FAILED_RETRYING)

ERR_NAIVE_TIME = "start_at must be timezone-aware"
ERR_DURATION = _("Durasi video call harus antara %(min)d dan %(max)d menit.")
ERR_CANCELLED = _("Video call ini sudah dibatalkan.")
ERR_NOT_FAILED = _(
    "Video call ini tidak dalam status gagal dibuat, jadi tidak dapat dicoba lagi.")
ERR_LINK_ONLY_MANUAL = _(
    "Tautan manual hanya dapat diubah pada video call dengan tautan manual. Batalkan video call "
    "ini lalu jadwalkan yang baru dengan tautan Anda.")
ERR_NOT_STAFF = _("Hanya verifikator kantor LPSE ini yang dapat mengunggah rekaman.")
ERR_NOT_MEDIA = _(
    "Berkas ini bukan rekaman video atau audio yang dapat diputar. Unggah berkas rekaman "
    "aslinya (MP4, MOV, WebM, M4A, MP3, OGG atau WAV); nama atau ekstensi berkas tidak "
    "menentukan isinya.")
ERR_TOO_LARGE = _("Berkas rekaman terlalu besar (batas %(mb)d MB).")
ERR_EMPTY = _("Berkas rekaman kosong.")
ERR_ZOOM_TOO_LARGE = "Rekaman Zoom lebih besar dari batas RECORDING_MAX_MB ({mb} MB)."
ERR_ZOOM_INCOMPLETE = "Unduhan rekaman Zoom tidak lengkap ({got} dari {expected} byte)."
ERR_ZOOM_NOT_MEDIA = "Berkas dari Zoom bukan rekaman yang dapat diputar ({reason})."
ERR_ZOOM_NO_ID = "Berkas rekaman Zoom tanpa id."


class MeetingStateError(PermissionDenied):
    """Acting on a meeting in the wrong state: a 403 with a clear message."""


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after the given number of failed attempts."""
    return min(RETRY_BASE * (2 ** max(attempts - 1, 0)), RETRY_MAX_DELAY)


def poll_delay(attempt: int) -> timedelta:
    return min(POLL_FIRST_DELAY * (2 ** attempt), POLL_MAX_DELAY)


def _actor(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def _check_time(start_at, duration_minutes: int) -> None:
    if timezone.is_naive(start_at):
        raise ValueError(ERR_NAIVE_TIME)
    if not MIN_DURATION <= duration_minutes <= MAX_DURATION:
        raise ValidationError(ERR_DURATION, code="duration",
                              params={"min": MIN_DURATION, "max": MAX_DURATION})


def _topic(registration) -> str:
    name = registration.company_name or "Pelaku Usaha"
    return f"Verifikasi {name} — {registration.office.short_name}"[:200]


# --- scheduling ---------------------------------------------------------------


def meeting_schedule(*, registration, start_at, duration_minutes: int | None = None, actor=None,
                     manual_url: str = "", request=None) -> Meeting:
    """C.3: the vendor whose documents are complete is invited to a video call.

    Call it inside the confirmation's transaction. Creating the meeting at
    Zoom happens in the worker after confirmation: if Zoom is down the
    confirmation still stands, the creation is retried, and staff see the
    state. A link the verifier pastes (``manual_url``, which also overrides
    the office's provider) or a Jitsi room needs no network and is ready at once.
    """
    from . import tasks

    office = registration.office
    meeting_settings = meeting_settings_for(office)
    provider_name = Provider.MANUAL if manual_url else meeting_settings.provider
    if provider_name == Provider.MANUAL:
        validate_meeting_url(manual_url)
    duration = duration_minutes or meeting_settings.default_duration_minutes
    _check_time(start_at, duration)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            office=office, registration=registration, provider=provider_name,
            state=MeetingState.PENDING, join_url=manual_url.strip(), start_at=start_at,
            duration_minutes=duration, topic=_topic(registration), created_by=_actor(actor),
        )
        audit_log(action="meeting.scheduled", actor=actor, office=office, obj=meeting,
                  request=request, details={"provider": provider_name, "start_at": start_at,
                                            "duration_minutes": duration,
                                            "registration": registration.code})
        provider = get_provider(office, provider_name)
        if provider.is_local:
            _created(meeting, provider.create(meeting), sequence=meeting.sequence)
        else:
            tasks.create_meeting.enqueue(meeting.pk)
    meeting.refresh_from_db()
    return meeting


def meeting_reschedule(*, meeting: Meeting, start_at, actor, duration_minutes: int | None = None,
                       manual_url: str = "", request=None) -> Meeting:
    """C.8.b: the verification is rescheduled; the same meeting (and link) moves.

    The sequence rises (calendar invitations are updated, not duplicated) and
    the worker tells the provider; a meeting still being created is simply
    created at the new time.
    """
    from . import tasks

    duration = duration_minutes or meeting.duration_minutes
    _check_time(start_at, duration)
    if manual_url:
        if meeting.provider != Provider.MANUAL:
            raise ValidationError(ERR_LINK_ONLY_MANUAL, code="not_manual")
        validate_meeting_url(manual_url)
    with transaction.atomic():
        changes = {"start_at": start_at, "duration_minutes": duration,
                   "sequence": F("sequence") + 1, "updated_at": timezone.now()}
        if manual_url:
            changes["join_url"] = manual_url.strip()
        updated = (Meeting.objects.filter(pk=meeting.pk)
                   .exclude(state=MeetingState.CANCELLED).update(**changes))
        if not updated:
            raise MeetingStateError(ERR_CANCELLED)
        previous = meeting.start_at
        meeting.refresh_from_db()
        audit_log(action="meeting.rescheduled", actor=actor, office=meeting.office, obj=meeting,
                  request=request, details={"from": previous, "to": start_at,
                                            "duration_minutes": duration,
                                            "sequence": meeting.sequence})
        if meeting.state == MeetingState.CREATED:
            provider = get_provider(meeting.office, meeting.provider)
            if provider.is_local:
                _synced(meeting, provider.update(meeting), sequence=meeting.sequence)
            else:
                tasks.update_meeting.enqueue(meeting.pk)
    meeting.refresh_from_db()
    return meeting


def meeting_open(*, registration, start_at, end_at, actor=None, request=None) -> Meeting:
    """B.8/C.3: a confirmed time gets its video call, inside the confirmation's transaction.

    Zoom and Jitsi meetings are made (now, or by the worker for Zoom); an office
    on manual links gets a meeting waiting for the verifier to paste its link; a
    registration whose call was rescheduled keeps its meeting, moved to the new time.
    """
    from .selectors import meeting_current

    duration = max(1, int((end_at - start_at).total_seconds() // 60))
    current = meeting_current(registration)
    if current is not None:
        # A rescheduled call (C.8.b): the same meeting moves, so the link the vendor
        # already has keeps working; the provider is told by the worker (Zoom PATCH).
        meeting = meeting_reschedule(meeting=current, start_at=start_at,
                                     duration_minutes=duration, actor=actor, request=request)
        if meeting.state == MeetingState.CREATED:
            meeting_invite_vendor(meeting)
        return meeting
    if meeting_settings_for(registration.office).provider != Provider.MANUAL:
        return meeting_schedule(registration=registration, start_at=start_at,
                                duration_minutes=duration, actor=actor, request=request)
    _check_time(start_at, duration)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            office=registration.office, registration=registration, provider=Provider.MANUAL,
            state=MeetingState.PENDING, start_at=start_at, duration_minutes=duration,
            topic=_topic(registration), created_by=_actor(actor))
        audit_log(action="meeting.awaiting_link", actor=actor, office=registration.office,
                  obj=meeting, request=request, details={"start_at": start_at})
    return meeting


def meeting_set_link(*, meeting: Meeting, url: str, actor, request=None) -> Meeting:
    """A verifier pastes the meeting link (manual provider); the vendor gets the invitation."""
    if meeting.provider != Provider.MANUAL:
        raise MeetingStateError(ERR_LINK_ONLY_MANUAL)
    if meeting.state == MeetingState.CANCELLED:
        raise MeetingStateError(ERR_CANCELLED)
    validate_meeting_url(url)
    with transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(
            join_url=url.strip(), state=MeetingState.CREATED, last_error="",
            updated_at=timezone.now())
        meeting.refresh_from_db()
        audit_log(action="meeting.link_set", actor=actor, office=meeting.office, obj=meeting,
                  request=request)
        meeting_invite_vendor(meeting)
    return meeting


def meeting_invite_vendor(meeting: Meeting) -> None:
    """C.3: the invitation — link, time (WIB), what to prepare, and that the call is
    recorded (C.5)."""
    from verifikasi.notifications.services import email_queue
    from verifikasi.registrations.selectors import registration_checklist

    registration = meeting.registration
    email_queue(template="meeting_invitation", to=registration.vendor.email,
                office=meeting.office,
                context={"registration": registration, "meeting": meeting,
                         "checklist": registration_checklist(registration),
                         "is_zoom": meeting.provider == Provider.ZOOM})


def meeting_cancel(*, meeting: Meeting, actor, request=None) -> Meeting:
    """The call will not take place (rescheduled to another date, withdrawn, rejected).

    The Zoom meeting is deleted by the worker, so the old link stops working.
    Cancelling twice is harmless.
    """
    from . import tasks

    with transaction.atomic():
        updated = (Meeting.objects.filter(pk=meeting.pk).exclude(state=MeetingState.CANCELLED)
                   .update(state=MeetingState.CANCELLED, next_attempt_at=None,
                           updated_at=timezone.now()))
        if updated:
            audit_log(action="meeting.cancelled", actor=actor, office=meeting.office,
                      obj=meeting, request=request, details={"start_at": meeting.start_at})
            if not get_provider(meeting.office, meeting.provider).is_local:
                tasks.delete_meeting.enqueue(meeting.pk)
    meeting.refresh_from_db()
    return meeting


def meeting_retry(*, meeting: Meeting, actor, request=None) -> Meeting:
    """Staff try again to create a meeting that failed for good (e.g. after fixing credentials).

    One still being retried (``failed_retrying``) already has its next try queued.
    """
    from . import tasks

    with transaction.atomic():
        updated = Meeting.objects.filter(pk=meeting.pk, state=MeetingState.FAILED).update(
            state=MeetingState.PENDING, attempts=0, next_attempt_at=None,
            updated_at=timezone.now())
        if not updated:
            raise MeetingStateError(ERR_NOT_FAILED)
        audit_log(action="meeting.retried", actor=actor, office=meeting.office, obj=meeting,
                  request=request)
        tasks.create_meeting.enqueue(meeting.pk)
    meeting.refresh_from_db()
    return meeting


# --- worker side: talking to the provider ---------------------------------------------


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
    from . import tasks

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
            tasks.delete_meeting.enqueue(meeting.pk)
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
    from . import tasks

    if meeting.sequence != sequence:
        # Moved while we were talking to the provider: send the newer time too.
        tasks.update_meeting.enqueue(meeting.pk)
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
            task.using(run_after=next_at).enqueue(meeting.pk)
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
    from . import tasks

    meeting = _load(meeting_id)
    if meeting is None or meeting.state not in ACTIVE_CREATE_STATES:
        return "skipped"
    provider = get_provider(meeting.office, meeting.provider)
    sequence = meeting.sequence
    try:
        info = _call(provider.create, meeting)
    except ProviderError as e:
        return _failed(meeting, e, task=tasks.create_meeting, action="meeting.create_failed",
                       states=ACTIVE_CREATE_STATES, failed_state=MeetingState.FAILED,
                       retry_state=MeetingState.FAILED_RETRYING, until=meeting.end_at)
    return "created" if _created(meeting, info, sequence=sequence) else "cancelled"


def meeting_update_run(meeting_id: int) -> str:
    """C.8.b, in the worker: move the provider's meeting to the new time."""
    from . import tasks

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
        return _failed(meeting, e, task=tasks.update_meeting, action="meeting.update_failed",
                       states=(MeetingState.CREATED,), until=meeting.end_at)
    _synced(meeting, info, sequence=sequence)
    return "updated"


def meeting_delete_run(meeting_id: int) -> str:
    """In the worker: delete a cancelled meeting at the provider (gone already is fine)."""
    from . import tasks

    meeting = _load(meeting_id)
    if meeting is None or meeting.state != MeetingState.CANCELLED:
        return "skipped"
    if not meeting.external_id:
        return "nothing to delete"  # never created; a creation in flight deletes it itself
    provider = get_provider(meeting.office, meeting.provider)
    try:
        _call(provider.delete, meeting)
    except ProviderError as e:
        return _failed(meeting, e, task=tasks.delete_meeting, action="meeting.delete_failed",
                       states=(MeetingState.CANCELLED,))
    with transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(attempts=0, last_error="",
                                                     next_attempt_at=None)
        audit_log(action="meeting.deleted", office=meeting.office, obj=meeting,
                  details={"provider": meeting.provider, "external_id": meeting.external_id})
    return "deleted"


# --- recordings -------------------------------------------------------------------------


def _delete_after(office, when):
    return timezone.localdate(when) + timedelta(days=meeting_settings_for(office).retention_days)


def _store_recording(*, meeting: Meeting, fileobj, sha256: str, size: int, media: MediaInfo,
                     source: str, actor=None, request=None, **fields) -> Recording:
    """Copy the file into private storage (streamed, random name) and add its row."""
    recorded_start = fields.get("recorded_start")
    recording = Recording(
        meeting=meeting, registration=meeting.registration, source=source, sha256=sha256,
        size=size, duration_seconds=media.duration_seconds, content_type=media.content_type,
        uploaded_by=_actor(actor),
        delete_after=_delete_after(meeting.office, recorded_start or timezone.now()), **fields,
    )
    recording.file.save("recording", File(fileobj), save=False)  # named by upload_to
    try:
        with transaction.atomic():
            recording.save()
            audit_log(
                action="recording.stored" if source == RecordingSource.ZOOM_CLOUD
                else "recording.uploaded",
                actor=actor, office=meeting.office, obj=recording, request=request,
                details={"meeting": meeting.code, "registration": meeting.registration.code,
                         "source": source, "sha256": sha256, "size": size,
                         "content_type": media.content_type,
                         "external_file_id": recording.external_file_id},
            )
    except IntegrityError:
        # The same Zoom file, stored by another worker a moment ago.
        recording.file.storage.delete(recording.file.name)
        return Recording.objects.get(meeting=meeting,
                                     external_file_id=recording.external_file_id)
    except BaseException:
        recording.file.storage.delete(recording.file.name)
        raise
    return recording


class _HashingWriter:
    """Writes chunks to a file while hashing and counting them, up to a limit."""

    def __init__(self, f, limit: int):
        self.f, self.limit = f, limit
        self.size = 0
        self.sha = hashlib.sha256()

    def write(self, chunk: bytes) -> int:
        self.size += len(chunk)
        if self.size > self.limit:
            raise ProviderError(ERR_ZOOM_TOO_LARGE.format(mb=self.limit // (1024 * 1024)),
                                retryable=False)
        self.sha.update(chunk)
        return self.f.write(chunk)


def recording_store_from_zoom(*, meeting: Meeting, file_info: RecordingFile | dict,
                              download_token: str | None = None) -> Recording:
    """C.5: the cloud recording is copied into the office's private storage.

    Zoom deletes cloud recordings after the account's retention, so the
    evidence is copied, streamed to disk while hashed (SHA-256), never held in
    memory. Storing the same Zoom file twice (a repeated webhook, a poll) gives
    back the recording stored the first time.
    """
    rf = file_info if isinstance(file_info, RecordingFile) else RecordingFile.from_dict(file_info)
    if not rf.external_file_id:
        raise ProviderError(ERR_ZOOM_NO_ID, retryable=False)
    existing = Recording.objects.filter(meeting=meeting,
                                        external_file_id=rf.external_file_id).first()
    if existing is not None:
        return existing
    limit = settings.RECORDING_MAX_BYTES
    if rf.size and rf.size > limit:
        raise ProviderError(ERR_ZOOM_TOO_LARGE.format(mb=limit // (1024 * 1024)),
                            retryable=False)
    provider = get_provider(meeting.office, meeting.provider)
    with tempfile.NamedTemporaryFile(dir=settings.FILE_UPLOAD_TEMP_DIR,
                                     suffix=".download") as tmp:
        writer = _HashingWriter(tmp, limit)
        _call(lambda: provider.download(rf, writer, token=download_token or None))
        tmp.flush()
        if rf.size is not None and writer.size != rf.size:
            raise ProviderError(ERR_ZOOM_INCOMPLETE.format(got=writer.size, expected=rf.size),
                                retryable=True)
        try:
            media = sniff(tmp, writer.size)
        except MediaError as e:
            raise ProviderError(ERR_ZOOM_NOT_MEDIA.format(reason=e), retryable=True) from e
        return _store_recording(
            meeting=meeting, fileobj=tmp, sha256=writer.sha.hexdigest(), size=writer.size,
            media=media, source=RecordingSource.ZOOM_CLOUD,
            external_file_id=rf.external_file_id,
            recorded_start=parse_time(rf.recording_start),
            recorded_end=parse_time(rf.recording_end),
        )


def recording_fetch_run(meeting_id: int, file_info: dict, download_token: str = "", *,
                        attempt: int = 0) -> str:
    """In the worker: store one file Zoom announced; retried a few times, then left to the poll."""
    from . import tasks

    meeting = _load(meeting_id)
    if meeting is None:
        return "skipped"
    try:
        recording_store_from_zoom(meeting=meeting, file_info=file_info,
                                  download_token=download_token)
    except ProviderError as e:
        logger.warning("recording of meeting %s: %s", meeting.code, e.message)
        if e.retryable and attempt + 1 < FETCH_MAX_ATTEMPTS:
            tasks.fetch_recording.using(
                run_after=timezone.now() + retry_delay(attempt + 1)
            ).enqueue(meeting_id, file_info, download_token, attempt + 1)
            return "retry"
        audit_log(action="recording.store_failed", office=meeting.office, obj=meeting,
                  details={"error": e.message,
                           "external_file_id": file_info.get("external_file_id")})
        return "failed"
    return "stored"


def _schedule_poll(meeting: Meeting, *, attempt: int) -> None:
    from . import tasks

    now = timezone.now()
    if attempt == 0:
        run_after = max(meeting.end_at + POLL_FIRST_DELAY, now)
    else:
        run_after = now + poll_delay(attempt)
    tasks.poll_recordings.using(run_after=run_after).enqueue(
        meeting.pk, meeting.sequence, attempt)


def recordings_poll(meeting_id: int, *, sequence: int | None = None, attempt: int = 0) -> str:
    """C.5, the fallback: after the call, ask Zoom for the recording until the MP4 is in.

    Zoom's webhook can be lost or arrive days late: the first look is 15
    minutes after the call's end, then less often, for up to a week. A poll
    chain started before a reschedule (an older ``sequence``) stops.
    """
    meeting = _load(meeting_id)
    if meeting is None or meeting.state != MeetingState.CREATED:
        return "skipped"
    if sequence is not None and sequence != meeting.sequence:
        return "stale"
    provider = get_provider(meeting.office, meeting.provider)
    if not provider.supports_cloud_recording:
        return "skipped"
    try:
        videos = [f for f in _call(provider.list_recordings, meeting) if f.is_video]
        ready = [f for f in videos if f.is_complete]
        for rf in ready:
            recording_store_from_zoom(meeting=meeting, file_info=rf)
    except ProviderError as e:
        logger.warning("polling recordings of meeting %s: %s", meeting.code, e.message)
    else:
        if ready and len(ready) == len(videos):
            return "stored"
    if timezone.now() >= meeting.end_at + POLL_LIMIT:
        audit_log(action="recording.poll_gave_up", office=meeting.office, obj=meeting,
                  details={"attempts": attempt + 1})
        return "gave up"
    _schedule_poll(meeting, attempt=attempt + 1)
    return "waiting"


def zoom_recording_completed(*, office, payload: dict, download_token: str = "") -> str:
    """Zoom's ``recording.completed`` webhook: fetch each finished MP4 in the worker.

    A meeting the app does not know (the Zoom account is used for other
    things too) is acknowledged and logged, so Zoom does not keep retrying.
    """
    from . import tasks

    obj = payload.get("object") if isinstance(payload, dict) else None
    external_id = str(obj.get("id") or "") if isinstance(obj, dict) else ""
    meeting = (Meeting.objects.filter(office=office, provider=Provider.ZOOM,
                                      external_id=external_id).first()
               if external_id else None)
    if meeting is None:
        logger.info("zoom webhook: recording of unknown meeting %r (office %s)",
                    external_id, office.code)
        return "unknown meeting"
    stored = set(Recording.objects.filter(meeting=meeting)
                 .values_list("external_file_id", flat=True))
    count = 0
    with transaction.atomic():
        for data in obj.get("recording_files") or []:
            if not isinstance(data, dict):
                continue
            rf = recording_file_from_zoom(data)
            if rf.is_video and rf.is_complete and rf.external_file_id not in stored:
                tasks.fetch_recording.enqueue(meeting.pk, rf.to_dict(), download_token or "")
                count += 1
    return f"{count} queued"


def recording_upload(*, meeting: Meeting, uploaded_file, actor, request=None) -> Recording:
    """C.5: the verifier uploads the call's recording (Jitsi, a pasted link, a local recording).

    Checked by its content, never by its name: an MP4/MOV must be a complete
    movie, other formats must carry their signature; streamed to storage and
    hashed, within RECORDING_MAX_MB.
    """
    if not (_actor(actor) and actor.is_office_staff and actor.office_id == meeting.office_id):
        raise PermissionDenied(ERR_NOT_STAFF)
    if meeting.state == MeetingState.CANCELLED:
        raise MeetingStateError(ERR_CANCELLED)
    limit = settings.RECORDING_MAX_BYTES
    if uploaded_file.size > limit:
        raise ValidationError(ERR_TOO_LARGE, code="too_large",
                              params={"mb": limit // (1024 * 1024)})
    if not uploaded_file.size:
        raise ValidationError(ERR_EMPTY, code="empty")
    try:
        media = sniff(uploaded_file, uploaded_file.size)
    except MediaError:
        raise ValidationError(ERR_NOT_MEDIA, code="not_media") from None
    sha = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        sha.update(chunk)
    return _store_recording(
        meeting=meeting, fileobj=uploaded_file, sha256=sha.hexdigest(), size=uploaded_file.size,
        media=media, source=RecordingSource.UPLOAD, actor=actor, request=request,
        original_name=(uploaded_file.name or "")[-255:],
    )


def recording_access_log(*, recording: Recording, actor, request, action: str) -> None:
    """Every look at a recording is in the audit log (DESIGN: security baseline)."""
    audit_log(action=action, actor=actor, office=recording.meeting.office, obj=recording,
              request=request, details={"registration": recording.registration.code})


def recordings_expire(*, batch: int = 100) -> int:
    """Retention (UU No. 27/2022): recordings past their date are deleted, file and row.

    The file goes first (deleting a missing file is harmless), then the row
    with its audit event, so a crash in between is finished by the next run.
    Called by the worker's periodic upkeep.
    """
    today = timezone.localdate()
    count = 0
    expired = (Recording.objects.filter(delete_after__lt=today)
               .select_related("meeting__office", "registration").order_by("delete_after"))
    for recording in expired[:batch]:
        recording.file.storage.delete(recording.file.name)
        with transaction.atomic():
            deleted, _ = Recording.objects.filter(pk=recording.pk).delete()
            if deleted:
                audit_log(action="recording.expired", office=recording.meeting.office,
                          obj=recording,
                          details={"registration": recording.registration.code,
                                   "sha256": recording.sha256, "size": recording.size,
                                   "delete_after": recording.delete_after})
                count += 1
    return count
