"""Calendar invites (iCalendar, RFC 5545/5546) for a verification call.

One UID per appointment for its whole life, so a calendar updates the same
event: METHOD:REQUEST for a confirmed time, METHOD:CANCEL when that time is
called off, SEQUENCE raised with every change (``Appointment.sequence``).
"""

from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//Verifikasi Daring//Jadwal verifikasi LPSE//ID"
REQUEST = "REQUEST"
CANCEL = "CANCEL"
PUBLISH = "PUBLISH"


def appointment_uid(appointment) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "verifikasi.local"
    return f"verifikasi-{appointment.code}@{host}"


def appointment_ics(appointment, *, method: str, start: datetime, end: datetime,
                    join_url: str = "", now: datetime | None = None) -> bytes:
    """The invite as bytes, times in the office's zone (with its VTIMEZONE)."""
    registration = appointment.registration
    office = appointment.office
    tz = office.tzinfo
    with translation.override(settings.LANGUAGE_CODE):
        summary = _("Verifikasi dokumen daring — %(company)s") % {
            "company": registration.company_name or registration.vendor.email}
        description = "\n".join(filter(None, [
            _("Verifikasi dokumen asli Pelaku Usaha melalui video call (tata cara C.4–C.5)."),
            _("Siapkan dan pegang dokumen asli sesuai Lampiran 1; video call direkam oleh "
              "verifikator sebagai bukti pelaksanaan verifikasi."),
            (_("Tautan video call: %(url)s") % {"url": join_url}) if join_url else
            _("Tautan video call dikirim oleh verifikator melalui email."),
            _("Status pendaftaran: %(url)s") % {
                "url": settings.SITE_URL + reverse("vendor_home")},
        ]))
        location = join_url or _("Video call (tautan dari verifikator)")

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)

    event = Event()
    event.add("uid", appointment_uid(appointment))
    event.add("sequence", appointment.sequence)
    event.add("dtstamp", (now or timezone.now()).astimezone(UTC))
    event.add("dtstart", start.astimezone(tz))
    event.add("dtend", end.astimezone(tz))
    event.add("summary", summary)
    event.add("description", description)
    event.add("location", location)
    if join_url:
        event.add("url", join_url)
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    event.add("transp", "OPAQUE")

    organizer = vCalAddress(f"mailto:{office.reply_to_email}")
    organizer.params["cn"] = vText(office.short_name or office.name)
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{registration.vendor.email}")
    attendee.params["cn"] = vText(registration.director_name or registration.vendor.email)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("NEEDS-ACTION" if method == REQUEST else "ACCEPTED")
    attendee.params["rsvp"] = vText("FALSE")
    event.add("attendee", attendee)

    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
