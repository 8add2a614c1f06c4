"""The calendar invite and the emails of a scheduling step (B.8, C.8.b).

The join link comes from whichever app runs the video meeting: it registers a
provider with ``join_url_provider`` (scheduling never imports it).
"""

from collections.abc import Callable
from datetime import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from verifikasi.notifications.services import email_queue

from . import ics
from .models import Appointment

_JOIN_URL: list[Callable[[Appointment], str]] = []


def join_url_provider(func: Callable[[Appointment], str]) -> Callable:
    """Register ``func(appointment) -> join link or ""`` (the meetings app does)."""
    _JOIN_URL[:] = [func]
    return func


def appointment_join_url(appointment: Appointment) -> str:
    """The call's join link for invites and reminders, once the meeting has one."""
    return _JOIN_URL[0](appointment) if _JOIN_URL else ""


def invite_store(appointment: Appointment, method: str, start: datetime, end: datetime) -> dict:
    """Store the .ics for this change (SEQUENCE raised after the first) as an attachment.

    Sets ``sequence`` and ``invited_at`` on ``appointment``; the caller saves them.
    """
    now = timezone.now()
    if appointment.invited_at is not None:
        appointment.sequence += 1
    appointment.invited_at = now
    content = ics.appointment_ics(appointment, method=method, start=start, end=end,
                                  join_url=appointment_join_url(appointment), now=now)
    name = default_storage.save(
        f"scheduling/{appointment.code}/undangan-{appointment.sequence}-{method.lower()}.ics",
        ContentFile(content))
    return {
        "name": "undangan.ics" if method == ics.REQUEST else "pembatalan.ics",
        "path": name,
        "mimetype": f"text/calendar; method={method}",
    }


def appointment_email(template: str, to, appointment: Appointment, *, attachments=None,
                      **context) -> None:
    recipients = [to] if isinstance(to, str) else list(to)
    if not recipients:
        return
    registration = appointment.registration
    email_queue(template=template, to=recipients, office=registration.office,
                attachments=attachments or [],
                context={"registration": registration, "appointment": appointment,
                         "office": registration.office, **context})


def iso(value: datetime | None, office) -> str | None:
    """A time for the audit log, in the office's zone (as people there read it)."""
    return value.astimezone(office.tzinfo).isoformat() if value is not None else None
