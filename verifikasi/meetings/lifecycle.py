"""What the video call adds to the appointment's and the registration's lifecycle.

Registered when the app is ready (``MeetingsConfig.ready``): a confirmed time
gets its meeting, a time that will not take place calls it off, invites carry
the meeting's join link, and the staff's registration page links to the call
screen. Scheduling and registrations never import this app.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from verifikasi.registrations import workflow
from verifikasi.registrations.panels import links
from verifikasi.scheduling.invites import join_url_provider
from verifikasi.scheduling.lifecycle import RELEASING, appointment_effect

from .models import MeetingState
from .selectors import meeting_current
from .services import meeting_cancel, meeting_open


@appointment_effect("confirm")
def meeting_for_confirmed_time(appointment, move, actor) -> None:
    """The confirmed time gets its video call (made now, or by the worker for Zoom)."""
    meeting_open(registration=appointment.registration, start_at=appointment.start,
                 end_at=appointment.end, actor=actor)


@appointment_effect(*RELEASING)
def meeting_called_off(appointment, move, actor) -> None:
    """The call will not take place at that time: its meeting is called off."""
    meeting = meeting_current(appointment.registration)
    if meeting is not None:
        meeting_cancel(meeting=meeting, actor=actor)


@join_url_provider
def meeting_join_url(appointment) -> str:
    meeting = meeting_current(appointment.registration)
    if meeting is not None and meeting.state == MeetingState.CREATED and \
            meeting.start_at == appointment.start:
        return meeting.join_url
    return ""


@links
def call_links(request, registration) -> list[dict]:
    found = []
    if workflow.can(registration, "record_pass", request.user) or \
            workflow.can(registration, "record_no_show", request.user):
        found.append({"url": reverse("call_screen", args=[registration.code]),
                      "label": _("Layar video call")})
    if registration.calls.exists():
        found.append({"url": reverse("call_screen", args=[registration.code]) + "#rekaman",
                      "label": _("Catatan dan rekaman video call"), "secondary": True})
    return found
