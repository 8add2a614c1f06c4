"""The invitation to the video call (C.3): link, time, what to prepare, the recording notice."""

from verifikasi.notifications.services import email_queue
from verifikasi.registrations.selectors import registration_checklist

from .models import Meeting, Provider


def meeting_invite_vendor(meeting: Meeting) -> None:
    """C.3: the invitation — link, time (WIB), what to prepare, and that the call is
    recorded (C.5)."""
    registration = meeting.registration
    email_queue(template="meeting_invitation", to=registration.vendor.email,
                office=meeting.office,
                context={"registration": registration, "meeting": meeting,
                         "checklist": registration_checklist(registration),
                         "is_zoom": meeting.provider == Provider.ZOOM})
