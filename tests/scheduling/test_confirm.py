"""B.8.a, B.8.c: once documents are accepted, a verifier or the coordinator confirms one
of the vendor's proposed times; the vendor gets an email with the calendar invite."""

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tests.conftest import login, make_user
from tests.registrations.factories import make_registration
from tests.scheduling.factories import another_accepted, propose, schedule, wib
from verifikasi.accounts.models import Role
from verifikasi.core.models import AuditEvent
from verifikasi.notifications.models import OutboundEmail
from verifikasi.scheduling.models import AppointmentState, Availability, SlotBooking
from verifikasi.scheduling.selectors import appointment_for

TUE_8 = wib(2026, 12, 8, 8, 0)
WED_10 = wib(2026, 12, 9, 10, 0)


def key(dt):
    return dt.isoformat(timespec="minutes")


def confirm(client, registration_documents_accepted, start):
    return client.post(reverse("schedule_confirm", args=[registration_documents_accepted.code]),
                       {"start": key(start)})


@pytest.fixture
def registration_with_proposal(registration_documents_accepted):
    propose(registration_documents_accepted, TUE_8, WED_10)
    return registration_documents_accepted


def test_the_panel_shows_the_proposals_with_a_confirm_button(
    verifier_client, registration_with_proposal
):
    response = verifier_client.get(
        reverse("schedule_manage", args=[registration_with_proposal.code])
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Selasa, 8 Desember 2026, 08.00–08.30 WIB" in page
    assert "Rabu, 9 Desember 2026, 10.00–10.30 WIB" in page
    assert page.count("Konfirmasi waktu ini") == 2


def test_a_verifier_confirms_a_proposed_time(verifier_client, verifier, registration_with_proposal):
    response = confirm(verifier_client, registration_with_proposal, WED_10)
    assert response.status_code == 302
    registration_with_proposal.refresh_from_db()
    assert registration_with_proposal.status == "scheduled"
    appointment = appointment_for(registration_with_proposal)
    assert appointment.state == AppointmentState.CONFIRMED
    assert (appointment.start, appointment.end) == (WED_10, wib(2026, 12, 9, 10, 30))
    assert appointment.confirmed_by == verifier
    assert not appointment.options.exists()
    booking = SlotBooking.objects.get(appointment=appointment)
    assert (booking.start, booking.seat_no, booking.capacity) == (WED_10, 0, 1)

    event = AuditEvent.objects.get(action="registration.confirm_schedule")
    assert event.details["from"] == "documents_accepted"
    assert event.details["to"] == "scheduled"
    assert event.details["start"] == WED_10.isoformat()
    assert event.actor == verifier

    email = OutboundEmail.objects.get(template="appointment_confirmed")
    assert email.to == [registration_with_proposal.vendor.email]
    assert "Rabu, 9 Desember 2026, 10.00–10.30 WIB" in email.subject
    [attachment] = email.attachments
    assert attachment["name"] == "undangan.ics"
    assert attachment["mimetype"] == "text/calendar; method=REQUEST"


def test_confirming_enqueues_both_reminders(verifier, registration_with_proposal):
    from verifikasi.scheduling import services

    services.appointment_confirm(
        registration=registration_with_proposal, actor=verifier, start=WED_10
    )
    tasks = DBTaskResult.objects.filter(task_path__endswith="tasks.appointment_send_reminder")
    assert sorted(t.run_after for t in tasks) == [wib(2026, 12, 8, 10, 0),
                                                 wib(2026, 12, 9, 9, 0)]


def test_the_coordinator_confirms_too(coordinator_client, registration_with_proposal):
    assert confirm(coordinator_client, registration_with_proposal, TUE_8).status_code == 302
    registration_with_proposal.refresh_from_db()
    assert registration_with_proposal.status == "scheduled"


def test_it_only_confirms_one_of_the_proposals(verifier_client, registration_with_proposal):
    response = confirm(verifier_client, registration_with_proposal, wib(2026, 12, 10, 9, 0))
    assert response.status_code == 400
    registration_with_proposal.refresh_from_db()
    assert registration_with_proposal.status == "documents_accepted"
    assert not AuditEvent.objects.filter(action="registration.confirm_schedule").exists()


def test_it_refuses_a_proposal_whose_slot_filled_up(verifier_client, verifier, office,
                                                    registration_with_proposal):
    schedule(another_accepted(office), TUE_8, verifier)
    response = confirm(verifier_client, registration_with_proposal, TUE_8)
    assert response.status_code == 400
    assert "Slot tersebut sudah penuh." in response.content.decode()
    registration_with_proposal.refresh_from_db()
    assert registration_with_proposal.status == "documents_accepted"
    assert not OutboundEmail.objects.filter(template="appointment_confirmed",
                                            to=[registration_with_proposal.vendor.email]).exists()


def test_it_refuses_a_proposal_on_a_day_closed_since(
    verifier_client, office, registration_with_proposal
):
    from verifikasi.scheduling.models import Closure

    Closure.objects.create(office=office, start_date=TUE_8.date(), end_date=TUE_8.date(),
                           note="Listrik padam")
    response = confirm(verifier_client, registration_with_proposal, TUE_8)
    assert response.status_code == 400
    assert "tidak menerima video call" in response.content.decode()


def test_a_second_seat_is_taken_when_two_calls_run_at_once(
    verifier, office, registration_with_proposal
):
    Availability.objects.create(office=office, capacity=2)
    schedule(another_accepted(office), TUE_8, verifier)
    from verifikasi.scheduling import services

    services.appointment_confirm(
        registration=registration_with_proposal, actor=verifier, start=TUE_8
    )
    assert sorted(SlotBooking.objects.filter(start=TUE_8).values_list("seat_no", flat=True)) \
        == [0, 1]


def test_the_vendor_cannot_confirm_their_own_proposal(vendor_client, registration_with_proposal):
    assert confirm(vendor_client, registration_with_proposal, TUE_8).status_code == 403
    from verifikasi.registrations.workflow import WorkflowError
    from verifikasi.scheduling import services

    with pytest.raises(WorkflowError):
        services.appointment_confirm(
            registration=registration_with_proposal,
            actor=registration_with_proposal.vendor,
            start=TUE_8,
        )
    registration_with_proposal.refresh_from_db()
    assert registration_with_proposal.status == "documents_accepted"


def test_an_admin_cannot_confirm(client, admin_user, registration_with_proposal):
    login(client, admin_user)
    assert confirm(client, registration_with_proposal, TUE_8).status_code == 403


def test_staff_of_another_office_get_404(client, other_office, registration_with_proposal):
    outsider = make_user("verif@sambas.test", Role.VERIFIER, other_office, totp=True)
    login(client, outsider)
    assert confirm(client, registration_with_proposal, TUE_8).status_code == 404
    assert (
        client.get(reverse("schedule_manage", args=[registration_with_proposal.code])).status_code
        == 404
    )


@pytest.mark.parametrize("status", ["submitted", "revision_requested", "verified"])
def test_it_is_refused_before_documents_are_accepted_or_after(clock, verifier_client, vendor,
                                                              office, status):
    registration_documents_accepted = make_registration(vendor, office)
    propose(registration_documents_accepted, TUE_8)
    registration_documents_accepted.status = status
    registration_documents_accepted.save()
    response = confirm(verifier_client, registration_documents_accepted, TUE_8)
    assert response.status_code == 403
    registration_documents_accepted.refresh_from_db()
    assert registration_documents_accepted.status == status


def test_confirming_twice_is_refused_as_wrong_state(verifier_client, registration_with_proposal):
    confirm(verifier_client, registration_with_proposal, TUE_8)
    response = confirm(verifier_client, registration_with_proposal, TUE_8)
    assert response.status_code == 403
    assert "Terjadwal" in response.content.decode()


def test_confirm_is_post_only(verifier_client, registration_with_proposal):
    url = reverse("schedule_confirm", args=[registration_with_proposal.code])
    assert verifier_client.get(url).status_code == 405
