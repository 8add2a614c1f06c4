"""Calendar invites: METHOD:REQUEST on confirmation, one UID for the registration's
appointment, SEQUENCE raised on every change, METHOD:CANCEL when a time is called
off; times in the office's zone."""

import re

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from tests.conftest import assert_private_no_store, login
from tests.scheduling.factories import schedule, wib
from verifikasi.notifications.models import OutboundEmail
from verifikasi.registrations import workflow
from verifikasi.scheduling import services
from verifikasi.scheduling.selectors import appointment_for

THU_13 = wib(2026, 12, 10, 13, 0)
FRI_9 = wib(2026, 12, 11, 9, 0)


def invites(template):
    """The parsed .ics attached to each email of ``template``, oldest first."""
    calendars = []
    for email in OutboundEmail.objects.filter(template=template).order_by("pk"):
        [attachment] = email.attachments
        with default_storage.open(attachment["path"], "rb") as fh:
            calendars.append(Calendar.from_ical(fh.read()))
    return calendars


@pytest.fixture
def registration_scheduled(registration_documents_accepted, verifier):
    schedule(registration_documents_accepted, THU_13, verifier)
    return registration_documents_accepted


def test_the_confirmation_carries_a_request_in_the_office_zone(registration_scheduled, office):
    [cal] = invites("appointment_confirmed")
    assert cal["method"] == "REQUEST"
    [event] = cal.events
    assert event.start == THU_13 and event.end == wib(2026, 12, 10, 13, 30)
    assert str(event.start.tzinfo) == "Asia/Pontianak"
    assert event["dtstart"].params["TZID"] == "Asia/Pontianak"
    assert [tz["tzid"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Pontianak"]
    appointment = appointment_for(registration_scheduled)
    assert event["uid"] == f"verifikasi-{appointment.code}@testserver"
    assert event["sequence"] == 0
    assert event["status"] == "CONFIRMED"
    assert str(event["organizer"]) == f"mailto:{office.reply_to_email}"
    assert str(event["attendee"]) == f"mailto:{registration_scheduled.vendor.email}"
    assert "CV Maju Jaya" in event["summary"]


def test_a_reschedule_cancels_then_a_new_confirmation_updates_the_same_event(
        registration_scheduled, verifier):
    services.appointment_reschedule(registration=registration_scheduled, actor=verifier,
                                    reason="Verifikator sakit", starts=[FRI_9])
    registration_scheduled.refresh_from_db()
    services.appointment_accept_offer(
        registration=registration_scheduled, actor=registration_scheduled.vendor, start=FRI_9
    )

    first, second = invites("appointment_confirmed")
    [cancel] = invites("appointment_rescheduled")
    uid = first.events[0]["uid"]
    assert cancel["method"] == "CANCEL"
    assert cancel.events[0]["uid"] == uid
    assert cancel.events[0]["sequence"] == 1
    assert cancel.events[0]["status"] == "CANCELLED"
    assert cancel.events[0].start == THU_13  # the time called off
    assert second["method"] == "REQUEST"
    assert second.events[0]["uid"] == uid
    assert second.events[0]["sequence"] == 2
    assert second.events[0].start == FRI_9
    [to_team] = invites("appointment_confirmed_staff")
    assert to_team.events[0]["sequence"] == 2


def test_closing_the_registration_sends_a_cancel(registration_scheduled):
    workflow.transition(registration_scheduled, "withdraw", actor=registration_scheduled.vendor)
    [cal] = invites("appointment_cancelled")
    assert cal["method"] == "CANCEL"
    assert cal.events[0]["sequence"] == 1
    assert cal.events[0]["uid"] == invites("appointment_confirmed")[0].events[0]["uid"]


def test_the_vendor_and_the_office_staff_can_download_the_invite(vendor_client, verifier,
                                                               registration_scheduled):
    url = reverse("schedule_invite", args=[registration_scheduled.code])
    response = vendor_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert_private_no_store(response)
    cal = Calendar.from_ical(response.content)
    assert cal.events[0].start == THU_13
    assert login(Client(), verifier).get(url).status_code == 200


def test_others_cannot_download_it(client, other_vendor, registration_scheduled):
    login(client, other_vendor)
    assert (
        client.get(reverse("schedule_invite", args=[registration_scheduled.code])).status_code
        == 404
    )


def test_there_is_no_invite_before_a_time_is_confirmed(
    vendor_client, registration_documents_accepted
):
    url = reverse("schedule_invite", args=[registration_documents_accepted.code])
    assert vendor_client.get(url).status_code == 404


def test_the_time_is_written_the_indonesian_way_in_the_email_and_the_invite(
        registration_scheduled):
    """Issue 21: "10 Desember 2026, 13.00–13.30" (no "13:00", no "08 Desember") in the
    email's subject and text and in the invite's summary and description."""
    email = OutboundEmail.objects.get(template="appointment_confirmed")
    [cal] = invites("appointment_confirmed")
    [event] = cal.events
    texts = [email.subject, email.body_text, str(event["summary"]),
             str(event["description"])]
    assert "Kamis, 10 Desember 2026, 13.00–13.30 WIB" in email.subject + email.body_text
    for text in texts:
        assert not re.search(r"\b\d{1,2}:\d{2}\b", text), text
        assert not re.search(r"\b0\d (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|"
                             r"September|Oktober|November|Desember)\b", text), text
