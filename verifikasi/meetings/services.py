"""Video call services: schedule, move and cancel the meeting; keep its recordings.

Spec C.3: once the documents are complete the vendor gets an invitation link;
C.4: the call, where the vendor shows and holds the original documents; C.5:
the verifier records it "sebagai bukti pelaksanaan verifikasi".

Anything that talks to a provider over the network runs in the worker, from a
task written in the caller's transaction; a failure is a state staff can see
(``Meeting.state``, ``last_error``) and a retry with exponential backoff,
never a lost request.
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verifikasi.core.audit import audit_log
from verifikasi.core.queue import enqueue

from .invitation import meeting_invite_vendor
from .models import (
    Meeting,
    MeetingState,
    Provider,
)
from .providers import (
    get_provider,
    meeting_settings_for,
)
from .providers.manual import validate_meeting_url
from .sync import TASKS, _created, _synced

logger = logging.getLogger(__name__)


MIN_DURATION, MAX_DURATION = 5, 480

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
            enqueue(TASKS + "meeting_create_run", meeting.pk)
    meeting.refresh_from_db()
    return meeting


def meeting_reschedule(*, meeting: Meeting, start_at, actor, duration_minutes: int | None = None,
                       manual_url: str = "", request=None) -> Meeting:
    """C.8.b: the verification is rescheduled; the same meeting (and link) moves.

    The sequence rises (calendar invitations are updated, not duplicated) and
    the worker tells the provider; a meeting still being created is simply
    created at the new time.
    """
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
                enqueue(TASKS + "meeting_update_run", meeting.pk)
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


def meeting_cancel(*, meeting: Meeting, actor, request=None) -> Meeting:
    """The call will not take place (rescheduled to another date, withdrawn, rejected).

    The Zoom meeting is deleted by the worker, so the old link stops working.
    Cancelling twice is harmless.
    """
    with transaction.atomic():
        updated = (Meeting.objects.filter(pk=meeting.pk).exclude(state=MeetingState.CANCELLED)
                   .update(state=MeetingState.CANCELLED, next_attempt_at=None,
                           updated_at=timezone.now()))
        if updated:
            audit_log(action="meeting.cancelled", actor=actor, office=meeting.office,
                      obj=meeting, request=request, details={"start_at": meeting.start_at})
            if not get_provider(meeting.office, meeting.provider).is_local:
                enqueue(TASKS + "meeting_delete_run", meeting.pk)
    meeting.refresh_from_db()
    return meeting


def meeting_retry(*, meeting: Meeting, actor, request=None) -> Meeting:
    """Staff try again to create a meeting that failed for good (e.g. after fixing credentials).

    One still being retried (``failed_retrying``) already has its next try queued.
    """
    with transaction.atomic():
        updated = Meeting.objects.filter(pk=meeting.pk, state=MeetingState.FAILED).update(
            state=MeetingState.PENDING, attempts=0, next_attempt_at=None,
            updated_at=timezone.now())
        if not updated:
            raise MeetingStateError(ERR_NOT_FAILED)
        audit_log(action="meeting.retried", actor=actor, office=meeting.office, obj=meeting,
                  request=request)
        enqueue(TASKS + "meeting_create_run", meeting.pk)
    meeting.refresh_from_db()
    return meeting


