"""Recordings of the verification call (C.5): Zoom's cloud copies, uploads, retention.

Recordings are evidence and personal data (faces): streamed to private
storage while hashed, never held in memory, audited at every look, deleted
when their retention period ends.
"""

import hashlib
import logging
import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from verifikasi.core.audit import audit_log
from verifikasi.core.queue import enqueue
from verifikasi.core.retention_policy import Destroyed, retention_applier
from verifikasi.offices.models import Office

from .media import MediaError, MediaInfo, sniff
from .models import Meeting, MeetingState, Provider, Recording, RecordingSource
from .providers import ProviderError, RecordingFile, get_provider, meeting_settings_for, parse_time
from .providers.zoom import recording_file_from_zoom
from .services import (
    ERR_CANCELLED,
    ERR_EMPTY,
    ERR_NOT_MEDIA,
    ERR_NOT_STAFF,
    ERR_TOO_LARGE,
    ERR_ZOOM_INCOMPLETE,
    ERR_ZOOM_NO_ID,
    ERR_ZOOM_NOT_MEDIA,
    ERR_ZOOM_TOO_LARGE,
    MeetingStateError,
    _actor,
)
from .sync import FETCH_MAX_ATTEMPTS, POLL_LIMIT, TASKS, _call, _load, _schedule_poll, retry_delay

logger = logging.getLogger(__name__)


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
    meeting = _load(meeting_id)
    if meeting is None:
        return "skipped"
    try:
        recording_store_from_zoom(meeting=meeting, file_info=file_info,
                                  download_token=download_token)
    except ProviderError as e:
        logger.warning("recording of meeting %s: %s", meeting.code, e.message)
        if e.retryable and attempt + 1 < FETCH_MAX_ATTEMPTS:
            enqueue(TASKS + "recording_fetch_run", meeting_id, file_info, download_token,
                    attempt + 1, run_after=timezone.now() + retry_delay(attempt + 1))
            return "retry"
        audit_log(action="recording.store_failed", office=meeting.office, obj=meeting,
                  details={"error": e.message,
                           "external_file_id": file_info.get("external_file_id")})
        return "failed"
    return "stored"


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
                enqueue(TASKS + "recording_fetch_run", meeting.pk, rf.to_dict(),
                        download_token or "")
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
    Called by the daily retention job (``recordings_apply`` below).
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


@retention_applier("recordings")
def recordings_apply(*, now) -> list[Destroyed]:
    """The daily retention job: every expired recording, counted per office."""
    counts: dict = {}
    while True:
        due = list(Recording.objects.filter(delete_after__lt=timezone.localdate(now))
                   .order_by("delete_after").values_list("meeting__office", flat=True)[:100])
        if not due or not recordings_expire():
            break
        for office_id in due:
            counts[office_id] = counts.get(office_id, 0) + 1
    offices = Office.objects.in_bulk(list(counts))
    return [Destroyed(offices.get(pk), n, meeting_settings_for(offices.get(pk)).retention_days
                      if offices.get(pk) else None) for pk, n in counts.items()]
