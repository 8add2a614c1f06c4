"""The call screen: one page from which the verifier runs the video call (C.4, C.5)."""

from datetime import datetime, time

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from verifikasi.accounts.decorators import team_required
from verifikasi.core.lookups import get_by_code_or_404
from verifikasi.registrations import workflow
from verifikasi.registrations.selectors import registration_checklist, registration_for_office_staff

from . import call as call_services
from . import recordings, services
from .models import Attendee, CallOutcome, Meeting, MeetingState, Provider
from .selectors import meeting_current, recordings_of


def _call_url(registration) -> str:
    return reverse("call_screen", args=[registration.code])


def _scheduled_day(registration, meeting):
    tz = registration.office.tzinfo
    when = meeting.start_at if meeting else timezone.now()
    return timezone.localtime(when, tz).date()


@team_required
def call_screen(request, code):
    """Join link, who attended, each original document, times, the outcome, the recording."""
    registration = registration_for_office_staff(request.user, code)
    meeting = meeting_current(registration)
    tz = registration.office.tzinfo
    return render(request, "meetings/call.html", {
        "registration": registration,
        "meeting": meeting,
        "checklist": registration_checklist(registration),
        "recordings": recordings_of(registration),
        "calls": registration.calls.select_related("verifier").prefetch_related(
            "checks__document_type"),
        "attendees": Attendee.choices,
        "start_default": timezone.localtime(meeting.start_at, tz).strftime("%H:%M")
        if meeting else "",
        "end_default": timezone.localtime(meeting.end_at, tz).strftime("%H:%M")
        if meeting else "",
        "is_manual": meeting is not None and meeting.provider == Provider.MANUAL,
        "can_record": workflow.can(registration, "record_pass", request.user),
        # Before the call has started the screen says when an outcome can be recorded.
        "not_yet": workflow.problems("record_pass", registration, request.user),
        "MeetingState": MeetingState,
    })


def _time(value: str, day, tz):
    try:
        parsed = time.fromisoformat(value.strip()[:5])
    except ValueError:
        return None
    return datetime.combine(day, parsed, tzinfo=tz)


def _call_data(request, registration, meeting) -> call_services.CallData:
    post = request.POST
    day = _scheduled_day(registration, meeting)
    tz = registration.office.tzinfo
    checks = []
    for item in registration_checklist(registration):
        answer = post.get(f"doc-{item.document_type.code}")
        checks.append(call_services.DocCheck(
            item.document_type.pk, {"ya": True, "tidak": False}.get(answer),
            post.get(f"note-{item.document_type.code}", "")))
    return call_services.CallData(
        attendee=post.get("attendee", ""), attendee_name=post.get("attendee_name", ""),
        power_of_attorney_shown=True if post.get("power_of_attorney_shown") else None,
        started_at=_time(post.get("started", ""), day, tz),
        ended_at=_time(post.get("ended", ""), day, tz),
        notes=post.get("notes", ""), checks=checks)


@team_required
@require_POST
def call_outcome(request, code):
    registration = registration_for_office_staff(request.user, code)
    outcome = request.POST.get("outcome", "")
    if outcome not in CallOutcome.values:
        messages.error(request, _("Pilih hasil video call."))
        return redirect(_call_url(registration))
    meeting = meeting_current(registration)
    try:
        call_services.call_record(registration=registration, actor=request.user, outcome=outcome,
                                  data=_call_data(request, registration, meeting),
                                  request=request)
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
        return redirect(_call_url(registration))
    registration.refresh_from_db()
    messages.success(request, {
        CallOutcome.PASS: _("Lulus verifikasi. Setujui akun di SPSE, lalu catat di bawah."),
        CallOutcome.NOT_YET: _("Hasil dicatat dan dikirim ke Pelaku Usaha."),
        CallOutcome.NO_SHOW: _("Ketidakhadiran dicatat; Pelaku Usaha diminta mengusulkan "
                               "jadwal baru."),
    }[outcome])
    if outcome == CallOutcome.PASS:
        return redirect(reverse("staff_review", args=[registration.code]) + "#hasil")
    return redirect(reverse("staff_review", args=[registration.code]))


@team_required
@require_POST
def call_link(request, code):
    """Manual provider: the verifier pastes the meeting link; the vendor is invited."""
    registration = registration_for_office_staff(request.user, code)
    meeting = get_by_code_or_404(Meeting, request.POST.get("meeting"),
                                 registration=registration)
    try:
        services.meeting_set_link(meeting=meeting, url=request.POST.get("url", ""),
                                  actor=request.user, request=request)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Tautan tersimpan dan undangan dikirim ke Pelaku Usaha."))
    return redirect(_call_url(registration))


@team_required
@require_POST
def call_retry(request, code):
    registration = registration_for_office_staff(request.user, code)
    meeting = get_by_code_or_404(Meeting, request.POST.get("meeting"),
                                 registration=registration)
    services.meeting_retry(meeting=meeting, actor=request.user, request=request)
    messages.info(request, _("Pembuatan video call dicoba lagi."))
    return redirect(_call_url(registration))


@team_required
@require_POST
def call_recording_upload(request, code):
    """C.5 for Jitsi or manual links: the verifier uploads the recording (streamed)."""
    registration = registration_for_office_staff(request.user, code)
    meeting = get_by_code_or_404(Meeting, request.POST.get("meeting"),
                                 registration=registration)
    upload = request.FILES.get("recording")
    if upload is None:
        messages.error(request, _("Pilih berkas rekaman."))
        return redirect(_call_url(registration))
    try:
        recordings.recording_upload(meeting=meeting, uploaded_file=upload, actor=request.user,
                                  request=request)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Rekaman tersimpan sebagai bukti verifikasi."))
    return redirect(_call_url(registration))
