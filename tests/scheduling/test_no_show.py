"""A vendor who does not join the call: recorded by the team, and the registration goes
back to scheduling (the vendor is asked for new times)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.scheduling.factories import propose, schedule, wib
from verifikasi.core.models import AuditEvent
from verifikasi.notifications.models import OutboundEmail
from verifikasi.scheduling.models import AppointmentState, SlotBooking
from verifikasi.scheduling.selectors import appointment_for, vendor_appointment

THU_13 = wib(2026, 12, 10, 13, 0)


def no_show(client, registration, note=""):
    return client.post(reverse("schedule_no_show", args=[registration.code]), {"note": note})


@pytest.fixture
def scheduled(registration, verifier):
    schedule(registration, THU_13, verifier)
    return registration


def test_it_records_a_no_show_after_the_start(clock, verifier_client, verifier, scheduled):
    clock.move_to(THU_13 + timedelta(minutes=20))
    page = verifier_client.get(reverse("schedule_manage", args=[scheduled.code]))
    assert "Catat tidak hadir" in page.content.decode()
    response = no_show(verifier_client, scheduled, "Ditunggu 15 menit, tidak bergabung")
    assert response.status_code == 302
    scheduled.refresh_from_db()
    assert scheduled.status == "documents_accepted"
    appointment = appointment_for(scheduled)
    assert appointment.state == AppointmentState.NEEDS_PROPOSAL
    assert appointment.no_shows == 1 and appointment.start is None
    assert not SlotBooking.objects.exists()
    event = AuditEvent.objects.get(action="registration.record_no_show")
    assert event.actor == verifier
    assert event.details["start"] == THU_13.isoformat()
    assert event.details["note"] == "Ditunggu 15 menit, tidak bergabung"
    email = OutboundEmail.objects.get(template="appointment_no_show")
    assert email.to == [scheduled.vendor.email]
    assert "Kamis, 10 Desember 2026, 13.00–13.30 WIB" in email.body_text
    assert reverse("schedule_propose", args=[scheduled.code]) in email.body_text
    assert vendor_appointment(scheduled).state == AppointmentState.NEEDS_PROPOSAL


def test_the_vendor_then_proposes_again(clock, verifier_client, vendor, scheduled):
    clock.move_to(THU_13 + timedelta(minutes=20))
    no_show(verifier_client, scheduled)
    scheduled.refresh_from_db()
    propose(scheduled, wib(2026, 12, 14, 9, 0))
    assert appointment_for(scheduled).state == AppointmentState.PROPOSED


def test_it_is_refused_before_the_call_starts(verifier_client, scheduled):
    response = no_show(verifier_client, scheduled)
    assert response.status_code == 400
    assert "setelah waktu video call dimulai" in response.content.decode()
    scheduled.refresh_from_db()
    assert scheduled.status == "scheduled"
    assert not AuditEvent.objects.filter(action="registration.record_no_show").exists()


def test_the_vendor_cannot_record_it(clock, vendor_client, scheduled):
    clock.move_to(THU_13 + timedelta(minutes=20))
    assert no_show(vendor_client, scheduled).status_code == 403
    scheduled.refresh_from_db()
    assert scheduled.status == "scheduled"


def test_it_is_refused_when_nothing_is_scheduled(verifier_client, registration):
    propose(registration, THU_13)
    response = no_show(verifier_client, registration)
    assert response.status_code == 403
    assert "Dokumen diterima" in response.content.decode()


def test_no_show_is_post_only(verifier_client, scheduled):
    assert verifier_client.get(
        reverse("schedule_no_show", args=[scheduled.code])).status_code == 405
