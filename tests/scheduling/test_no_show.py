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


def no_show(client, registration_documents_accepted, note=""):
    return client.post(
        reverse("schedule_no_show", args=[registration_documents_accepted.code]), {"note": note}
    )


@pytest.fixture
def registration_scheduled(registration_documents_accepted, verifier):
    schedule(registration_documents_accepted, THU_13, verifier)
    return registration_documents_accepted


def test_it_records_a_no_show_after_the_start(
    clock, verifier_client, verifier, registration_scheduled
):
    clock.move_to(THU_13 + timedelta(minutes=20))
    page = verifier_client.get(reverse("schedule_manage", args=[registration_scheduled.code]))
    assert "Catat tidak hadir" in page.content.decode()
    response = no_show(
        verifier_client, registration_scheduled, "Ditunggu 15 menit, tidak bergabung"
    )
    assert response.status_code == 302
    registration_scheduled.refresh_from_db()
    assert registration_scheduled.status == "documents_accepted"
    appointment = appointment_for(registration_scheduled)
    assert appointment.state == AppointmentState.NEEDS_PROPOSAL
    assert appointment.no_shows == 1 and appointment.start is None
    assert not SlotBooking.objects.exists()
    event = AuditEvent.objects.get(action="registration.record_no_show")
    assert event.actor == verifier
    assert event.details["start"] == THU_13.isoformat()
    assert event.details["note"] == "Ditunggu 15 menit, tidak bergabung"
    email = OutboundEmail.objects.get(template="appointment_no_show")
    assert email.to == [registration_scheduled.vendor.email]
    assert "Kamis, 10 Desember 2026, 13.00–13.30 WIB" in email.body_text
    assert reverse("schedule_propose", args=[registration_scheduled.code]) in email.body_text
    assert vendor_appointment(registration_scheduled).state == AppointmentState.NEEDS_PROPOSAL


def test_the_vendor_then_proposes_again(clock, verifier_client, vendor, registration_scheduled):
    clock.move_to(THU_13 + timedelta(minutes=20))
    no_show(verifier_client, registration_scheduled)
    registration_scheduled.refresh_from_db()
    propose(registration_scheduled, wib(2026, 12, 14, 9, 0))
    assert appointment_for(registration_scheduled).state == AppointmentState.PROPOSED


def test_it_is_refused_before_the_call_starts(verifier_client, registration_scheduled):
    response = no_show(verifier_client, registration_scheduled)
    assert response.status_code == 400
    assert "setelah waktu video call dimulai" in response.content.decode()
    registration_scheduled.refresh_from_db()
    assert registration_scheduled.status == "scheduled"
    assert not AuditEvent.objects.filter(action="registration.record_no_show").exists()


def test_the_vendor_cannot_record_it(clock, vendor_client, registration_scheduled):
    clock.move_to(THU_13 + timedelta(minutes=20))
    assert no_show(vendor_client, registration_scheduled).status_code == 403
    registration_scheduled.refresh_from_db()
    assert registration_scheduled.status == "scheduled"


def test_it_is_refused_when_nothing_is_scheduled(verifier_client, registration_documents_accepted):
    propose(registration_documents_accepted, THU_13)
    response = no_show(verifier_client, registration_documents_accepted)
    assert response.status_code == 403
    assert "Dokumen diterima" in response.content.decode()


def test_no_show_is_post_only(verifier_client, registration_scheduled):
    assert verifier_client.get(
        reverse("schedule_no_show", args=[registration_scheduled.code])).status_code == 405
