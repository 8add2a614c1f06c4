"""C.8.b: moving a confirmed call. The vendor may ask up to the cut-off (24 h) and at
most twice, with a reason; verifiers at any time, with a reason. The old time is
released and cancelled in calendars; the registration goes back to scheduling."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import login
from tests.scheduling.factories import propose, schedule, wib
from verifikasi.core.models import AuditEvent
from verifikasi.notifications.models import OutboundEmail
from verifikasi.scheduling import services
from verifikasi.scheduling.models import AppointmentState, Availability, OptionKind, SlotBooking
from verifikasi.scheduling.selectors import appointment_for

TUE_8 = wib(2026, 12, 8, 8, 0)
WED_10 = wib(2026, 12, 9, 10, 0)
THU_13 = wib(2026, 12, 10, 13, 0)
FRI_9 = wib(2026, 12, 11, 9, 0)


def key(dt):
    return dt.isoformat(timespec="minutes")


def vendor_reschedule(
    client, registration_documents_accepted, reason="Direktur sedang dinas luar kota", *starts
):
    return client.post(
        reverse("schedule_reschedule_request", args=[registration_documents_accepted.code]),
        {"reason": reason, "slots": [key(s) for s in starts]},
    )


def staff_reschedule(client, registration_documents_accepted, reason="Verifikator sakit", *starts):
    return client.post(
        reverse("schedule_staff_reschedule", args=[registration_documents_accepted.code]),
        {"reason": reason, "slots": [key(s) for s in starts]},
    )


@pytest.fixture
def registration_scheduled(registration_documents_accepted, verifier):
    schedule(registration_documents_accepted, THU_13, verifier)
    return registration_documents_accepted


def test_the_vendor_asks_to_reschedule_with_new_proposals(
    vendor_client, registration_scheduled, verifier, coordinator
):
    page = vendor_client.get(
        reverse("schedule_reschedule_request", args=[registration_scheduled.code])
    )
    assert page.status_code == 200
    response = vendor_reschedule(
        vendor_client, registration_scheduled, "Direktur dinas luar kota", FRI_9
    )
    assert response.status_code == 302
    registration_scheduled.refresh_from_db()
    assert registration_scheduled.status == "documents_accepted"
    appointment = appointment_for(registration_scheduled)
    assert appointment.state == AppointmentState.PROPOSED
    assert appointment.start is None and appointment.vendor_reschedules == 1
    assert [o.start for o in appointment.options.filter(kind=OptionKind.PROPOSED)] == [FRI_9]
    assert not SlotBooking.objects.exists()  # the seat is free again

    event = AuditEvent.objects.get(action="registration.reschedule")
    assert event.details["reason"] == "Direktur dinas luar kota"
    assert event.details["by"] == "vendor"
    assert event.details["previous_start"] == THU_13.isoformat()

    to_vendor = OutboundEmail.objects.get(template="appointment_rescheduled")
    assert to_vendor.to == [registration_scheduled.vendor.email]
    assert to_vendor.attachments[0]["mimetype"] == "text/calendar; method=CANCEL"
    to_team = OutboundEmail.objects.get(template="appointment_reschedule_requested_staff")
    assert set(to_team.to) == {verifier.email, coordinator.email}
    assert "Direktur dinas luar kota" in to_team.body_text
    assert "Jumat, 11 Desember 2026, 09.00–09.30 WIB" in to_team.body_text


def test_the_team_then_confirms_a_new_time(vendor_client, verifier, registration_scheduled):
    vendor_reschedule(vendor_client, registration_scheduled, "Berhalangan", FRI_9)
    response = login(Client(), verifier).post(
        reverse("schedule_confirm", args=[registration_scheduled.code]), {"start": key(FRI_9)}
    )
    assert response.status_code == 302
    registration_scheduled.refresh_from_db()
    assert registration_scheduled.status == "scheduled"
    assert appointment_for(registration_scheduled).start == FRI_9


def test_without_new_times_the_vendor_proposes_later(vendor_client, registration_scheduled):
    vendor_reschedule(vendor_client, registration_scheduled, "Belum tahu kapan bisa")
    assert appointment_for(registration_scheduled).state == AppointmentState.NEEDS_PROPOSAL
    response = vendor_client.post(reverse("schedule_propose", args=[registration_scheduled.code]),
                                  {"slots": [key(WED_10)]})
    assert response.status_code == 302
    assert appointment_for(registration_scheduled).state == AppointmentState.PROPOSED


def test_a_reason_is_required(vendor_client, registration_scheduled):
    response = vendor_reschedule(vendor_client, registration_scheduled, "  ")
    assert response.status_code == 400
    registration_scheduled.refresh_from_db()
    assert registration_scheduled.status == "scheduled"


def test_the_vendor_cannot_reschedule_after_the_cutoff(
    clock, vendor_client, registration_scheduled
):
    clock.move_to(THU_13 - timedelta(hours=23))
    page = vendor_client.get(
        reverse("schedule_reschedule_request", args=[registration_scheduled.code])
    )
    assert "paling lambat 24 jam sebelum video call" in page.content.decode()
    response = vendor_reschedule(vendor_client, registration_scheduled)
    assert response.status_code == 400
    assert "paling lambat 24 jam sebelum video call" in response.content.decode()
    registration_scheduled.refresh_from_db()
    assert registration_scheduled.status == "scheduled"
    assert SlotBooking.objects.filter(appointment__registration=registration_scheduled).exists()
    assert not AuditEvent.objects.filter(action="registration.reschedule").exists()


def test_the_cutoff_is_an_office_setting(clock, vendor_client, office, registration_scheduled):
    Availability.objects.create(office=office, vendor_reschedule_cutoff_hours=2)
    clock.move_to(THU_13 - timedelta(hours=3))
    assert vendor_reschedule(vendor_client, registration_scheduled).status_code == 302


def test_the_vendor_may_reschedule_only_so_often(vendor_client, verifier, registration_scheduled):
    for new_time in (FRI_9, WED_10):
        assert (
            vendor_reschedule(vendor_client, registration_scheduled, "Lagi", new_time).status_code
            == 302
        )
        registration_scheduled.refresh_from_db()
        services.appointment_confirm(
            registration=registration_scheduled, actor=verifier, start=new_time
        )
    response = vendor_reschedule(vendor_client, registration_scheduled, "Sekali lagi")
    assert response.status_code == 400
    assert "sudah mengubah jadwal 2 kali" in response.content.decode()
    registration_scheduled.refresh_from_db()
    assert registration_scheduled.status == "scheduled"


def test_a_verifier_reschedules_at_any_time_offering_new_times(clock, verifier_client,
                                                               verifier, registration_scheduled):
    clock.move_to(THU_13 - timedelta(hours=1))
    response = staff_reschedule(verifier_client, registration_scheduled, "Verifikator sakit", FRI_9)
    assert response.status_code == 302
    registration_scheduled.refresh_from_db()
    assert registration_scheduled.status == "documents_accepted"
    appointment = appointment_for(registration_scheduled)
    assert appointment.state == AppointmentState.OFFERED
    assert appointment.staff_reschedules == 1 and appointment.vendor_reschedules == 0
    assert [o.start for o in appointment.options.filter(kind=OptionKind.OFFERED)] == [FRI_9]
    event = AuditEvent.objects.get(action="registration.reschedule")
    assert (event.actor, event.details["by"]) == (verifier, "staff")
    email = OutboundEmail.objects.get(template="appointment_rescheduled")
    assert email.to == [registration_scheduled.vendor.email]
    assert "Verifikator sakit" in email.body_text
    assert "Jumat, 11 Desember 2026, 09.00–09.30 WIB" in email.body_text
    assert email.attachments[0]["name"] == "pembatalan.ics"
    assert not OutboundEmail.objects.filter(
        template="appointment_reschedule_requested_staff").exists()


def test_staff_must_give_a_reason_too(verifier_client, registration_scheduled):
    assert staff_reschedule(verifier_client, registration_scheduled, "").status_code == 400
    registration_scheduled.refresh_from_db()
    assert registration_scheduled.status == "scheduled"


def test_nothing_to_reschedule_before_a_time_is_confirmed(vendor_client, verifier,
                                                          registration_documents_accepted):
    propose(registration_documents_accepted, TUE_8)
    response = vendor_reschedule(vendor_client, registration_documents_accepted)
    assert response.status_code == 403
    assert "Dokumen diterima" in response.content.decode()
    assert (
        staff_reschedule(login(Client(), verifier), registration_documents_accepted).status_code
        == 403
    )


def test_another_vendor_gets_404(client, other_vendor, registration_scheduled):
    login(client, other_vendor)
    assert vendor_reschedule(client, registration_scheduled).status_code == 404


def test_the_vendor_cannot_use_the_staff_url(vendor_client, registration_scheduled):
    assert staff_reschedule(vendor_client, registration_scheduled).status_code == 403


def test_staff_reschedule_is_post_only(verifier_client, registration_scheduled):
    url = reverse("schedule_staff_reschedule", args=[registration_scheduled.code])
    assert verifier_client.get(url).status_code == 405
