"""The confirmation goes out through a real SMTP server, the invite attached as
text/calendar with method=REQUEST, and parses back into the same appointment."""

from icalendar import Calendar

from tests.conftest import run_worker
from tests.scheduling.factories import schedule, wib
from verifikasi.notifications.models import OutboundEmail
from verifikasi.scheduling.selectors import appointment_for

THU_13 = wib(2026, 12, 10, 13, 0)


def test_the_invite_arrives_as_a_calendar_request(
    smtp_server, registration_documents_accepted, verifier, office
):
    schedule(registration_documents_accepted, THU_13, verifier)
    email = OutboundEmail.objects.get(template="appointment_confirmed")
    run_worker()

    [message] = smtp_server.for_email(email)
    assert message.rcpt_tos == [registration_documents_accepted.vendor.email]
    assert message["Reply-To"] == office.reply_to_email
    assert "Kamis, 10 Desember 2026, 13.00–13.30 WIB" in message.text
    [part] = [p for p in message.message.iter_attachments()
              if p.get_content_type() == "text/calendar"]
    assert part.get_filename() == "undangan.ics"
    assert part.get_param("method") == "REQUEST"
    cal = Calendar.from_ical(part.get_content())
    assert cal["method"] == "REQUEST"
    [event] = cal.events
    assert event.start == THU_13
    assert (
        event["uid"]
        == f"verifikasi-{appointment_for(registration_documents_accepted).code}@testserver"
    )
    assert event["sequence"] == 0
