"""B.8.b: when the proposed dates won't do, the team offers one to three substitutes;
the vendor accepts one (→ scheduled) or proposes again."""

import pytest
from django.urls import reverse

from tests.conftest import login
from tests.registrations.factories import make_registration
from tests.scheduling.factories import propose, wib
from verifikasi.core.models import AuditEvent
from verifikasi.notifications.models import OutboundEmail
from verifikasi.scheduling import services
from verifikasi.scheduling.models import AppointmentState, OptionKind
from verifikasi.scheduling.selectors import appointment_for

TUE_8 = wib(2026, 12, 8, 8, 0)
WED_10 = wib(2026, 12, 9, 10, 0)
THU_13 = wib(2026, 12, 10, 13, 0)
FRI_9 = wib(2026, 12, 11, 9, 0)


def key(dt):
    return dt.isoformat(timespec="minutes")


def offer(client, registration_documents_accepted, *starts):
    return client.post(reverse("schedule_offer", args=[registration_documents_accepted.code]),
                       {"slots": [key(s) for s in starts]})


def accept(client, registration_documents_accepted, start):
    return client.post(
        reverse("schedule_offer_respond", args=[registration_documents_accepted.code]),
        {"start": key(start)},
    )


@pytest.fixture
def registration_with_offer(registration_documents_accepted, verifier):
    propose(registration_documents_accepted, TUE_8)
    services.appointment_offer(registration=registration_documents_accepted, actor=verifier,
                               starts=[WED_10, THU_13])
    return registration_documents_accepted


def test_the_coordinator_offers_substitutes(
    coordinator_client, coordinator, registration_documents_accepted
):
    propose(registration_documents_accepted, TUE_8)
    response = offer(coordinator_client, registration_documents_accepted, THU_13, WED_10)
    assert response.status_code == 302
    registration_documents_accepted.refresh_from_db()
    assert registration_documents_accepted.status == "documents_accepted"
    appointment = appointment_for(registration_documents_accepted)
    assert appointment.state == AppointmentState.OFFERED
    assert [o.start for o in appointment.options.filter(kind=OptionKind.OFFERED)] \
        == [WED_10, THU_13]
    event = AuditEvent.objects.get(action="registration.offer_other_date")
    assert event.actor == coordinator
    assert event.details["to"] == "documents_accepted"
    email = OutboundEmail.objects.get(template="appointment_offered")
    assert email.to == [registration_documents_accepted.vendor.email]
    assert "Rabu, 9 Desember 2026, 10.00–10.30 WIB" in email.body_text
    assert "Kamis, 10 Desember 2026, 13.00–13.30 WIB" in email.body_text
    assert (
        reverse("schedule_offer_respond", args=[registration_documents_accepted.code])
        in email.body_text
    )


def test_a_verifier_may_offer_without_any_proposal(
    verifier_client, registration_documents_accepted
):
    assert offer(verifier_client, registration_documents_accepted, FRI_9).status_code == 302
    assert appointment_for(registration_documents_accepted).state == AppointmentState.OFFERED


@pytest.mark.parametrize("count", [0, 4])
def test_it_offers_one_to_three(verifier_client, registration_documents_accepted, count):
    starts = [TUE_8, WED_10, THU_13, FRI_9][:count]
    assert offer(verifier_client, registration_documents_accepted, *starts).status_code == 400
    assert appointment_for(registration_documents_accepted) is None


def test_the_vendor_sees_the_offer_and_accepts_one(vendor_client, registration_with_offer, verifier,
                                                  coordinator):
    page = vendor_client.get(reverse("schedule_offer_respond", args=[registration_with_offer.code]))
    assert page.status_code == 200
    assert "Kamis, 10 Desember 2026, 13.00–13.30 WIB" in page.content.decode()

    response = accept(vendor_client, registration_with_offer, THU_13)
    assert response.status_code == 302
    registration_with_offer.refresh_from_db()
    assert registration_with_offer.status == "scheduled"
    appointment = appointment_for(registration_with_offer)
    assert (appointment.state, appointment.start) == (AppointmentState.CONFIRMED, THU_13)
    assert appointment.confirmed_by == registration_with_offer.vendor
    event = AuditEvent.objects.get(action="registration.accept_offer")
    assert event.details["accepted_offer"] is True
    assert event.actor == registration_with_offer.vendor
    to_vendor = OutboundEmail.objects.get(template="appointment_confirmed")
    assert to_vendor.to == [registration_with_offer.vendor.email] and to_vendor.attachments
    to_team = OutboundEmail.objects.get(template="appointment_confirmed_staff")
    assert set(to_team.to) == {verifier.email, coordinator.email}
    assert to_team.attachments[0]["mimetype"] == "text/calendar; method=REQUEST"


def test_the_vendor_can_only_accept_an_offered_time(vendor_client, registration_with_offer):
    assert (
        accept(vendor_client, registration_with_offer, TUE_8).status_code == 400
    )  # their own proposal
    registration_with_offer.refresh_from_db()
    assert registration_with_offer.status == "documents_accepted"


def test_the_vendor_cannot_confirm_without_an_offer(vendor_client, registration_documents_accepted):
    propose(registration_documents_accepted, TUE_8)
    response = accept(vendor_client, registration_documents_accepted, TUE_8)
    assert response.status_code == 400
    registration_documents_accepted.refresh_from_db()
    assert registration_documents_accepted.status == "documents_accepted"
    with pytest.raises(services.workflow.WorkflowError) as e:
        services.appointment_accept_offer(
            registration=registration_documents_accepted,
            actor=registration_documents_accepted.vendor,
            start=TUE_8,
        )
    assert e.value.problems == ["Tidak ada jadwal pengganti yang menunggu jawaban Anda."]


def test_staff_cannot_accept_on_the_vendors_behalf(
    verifier_client, verifier, registration_with_offer
):
    assert accept(verifier_client, registration_with_offer, WED_10).status_code == 403
    with pytest.raises(services.workflow.WorkflowError):
        services.appointment_accept_offer(
            registration=registration_with_offer, actor=verifier, start=WED_10
        )


def test_the_vendor_cannot_offer(vendor_client, registration_documents_accepted):
    assert offer(vendor_client, registration_documents_accepted, WED_10).status_code == 403


def test_another_vendor_gets_404(client, other_vendor, registration_with_offer):
    login(client, other_vendor)
    assert (
        client.get(
            reverse("schedule_offer_respond", args=[registration_with_offer.code])
        ).status_code
        == 404
    )
    assert accept(client, registration_with_offer, WED_10).status_code == 404


@pytest.mark.parametrize("status", ["submitted", "scheduled"])
def test_offering_is_refused_in_the_wrong_state(clock, verifier_client, vendor, office, status):
    registration_documents_accepted = make_registration(vendor, office, status=status)
    response = offer(verifier_client, registration_documents_accepted, WED_10)
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="registration.offer_other_date").exists()


def test_accepting_after_a_withdrawal_is_refused_as_wrong_state(
    vendor_client, registration_with_offer
):
    registration_with_offer.status = "withdrawn"
    registration_with_offer.save()
    response = accept(vendor_client, registration_with_offer, WED_10)
    assert response.status_code == 403
    assert "Dibatalkan" in response.content.decode()


def test_offer_is_post_only(verifier_client, registration_documents_accepted):
    assert verifier_client.get(
        reverse("schedule_offer", args=[registration_documents_accepted.code])).status_code == 405
