"""B.8: the vendor proposes one to three free times as part of submitting, and may
change them until a time is confirmed."""

import pytest
from django.urls import reverse

from tests.conftest import login
from tests.registrations.factories import make_registration
from tests.scheduling.factories import another_accepted, propose, schedule, wib
from verifikasi.core.models import AuditEvent
from verifikasi.notifications.models import OutboundEmail
from verifikasi.scheduling.models import AppointmentState, OptionKind
from verifikasi.scheduling.selectors import appointment_for, proposal_problems

TUE_8 = wib(2026, 12, 8, 8, 0)
TUE_9 = wib(2026, 12, 8, 9, 0)
WED_10 = wib(2026, 12, 9, 10, 0)
THU_13 = wib(2026, 12, 10, 13, 0)


def key(dt):
    return dt.isoformat(timespec="minutes")


def url(registration_documents_accepted):
    return reverse("schedule_propose", args=[registration_documents_accepted.code])


@pytest.fixture
def registration_draft(clock, vendor, office):
    return make_registration(vendor, office)


def proposed_starts(registration_documents_accepted):
    return [o.start for o in appointment_for(registration_documents_accepted).options.filter(
        kind=OptionKind.PROPOSED).order_by("start")]


def test_it_lists_free_slots_grouped_by_day_in_the_office_zone(vendor_client, registration_draft):
    response = vendor_client.get(url(registration_draft))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Selasa, 8 Desember 2026" in page
    assert "WIB (Asia/Pontianak)" in page
    assert f'value="{key(TUE_8)}"' in page
    assert "Kamis, 24 Desember 2026" not in page  # cuti bersama
    assert 'type="checkbox" name="slots"' in page


def test_it_saves_two_proposals_in_a_draft_without_emailing_anyone(
    vendor_client, registration_draft, verifier
):
    response = vendor_client.post(url(registration_draft), {"slots": [key(WED_10), key(TUE_8)]})
    assert response.status_code == 302
    assert proposed_starts(registration_draft) == [TUE_8, WED_10]
    assert appointment_for(registration_draft).state == AppointmentState.PROPOSED
    event = AuditEvent.objects.get(action="appointment.proposed")
    assert event.details["slots"] == [TUE_8.isoformat(), WED_10.isoformat()]
    assert event.actor == registration_draft.vendor
    assert not OutboundEmail.objects.exists()  # the submission receipt covers it
    assert proposal_problems(registration_draft) == []


def test_it_returns_to_the_page_it_came_from(vendor_client, registration_draft):
    back = reverse("registration_submit", args=[registration_draft.code])
    response = vendor_client.post(url(registration_draft), {"slots": [key(TUE_8)], "next": back})
    assert response["Location"] == back
    response = vendor_client.post(url(registration_draft), {"slots": [key(TUE_8)],
                                               "next": "https://evil.test/"})
    assert response["Location"] == reverse("home")


def test_a_new_proposal_replaces_the_old_one(vendor_client, registration_draft):
    vendor_client.post(url(registration_draft), {"slots": [key(TUE_8), key(TUE_9)]})
    vendor_client.post(url(registration_draft), {"slots": [key(THU_13)]})
    assert proposed_starts(registration_draft) == [THU_13]
    page = vendor_client.get(url(registration_draft)).content.decode()
    assert f'value="{key(THU_13)}" id="usulan-202612101300" checked' in page


@pytest.mark.parametrize("picked", [[], [TUE_8, TUE_9, WED_10, THU_13]])
def test_it_wants_one_to_three_times(vendor_client, registration_draft, picked):
    response = vendor_client.post(url(registration_draft), {"slots": [key(s) for s in picked]})
    assert response.status_code == 400
    assert "Pilih 1 sampai 3 jadwal." in response.content.decode()
    assert appointment_for(registration_draft) is None


def test_it_refuses_a_time_outside_the_free_slots(vendor_client, registration_draft):
    for bad in [wib(2026, 12, 7, 13, 0),  # today: inside the notice
                wib(2026, 12, 25, 9, 0),  # Natal
                wib(2026, 12, 8, 12, 0),  # lunch break
                wib(2026, 12, 8, 8, 10)]:  # off the grid
        response = vendor_client.post(url(registration_draft), {"slots": [key(bad)]})
        assert response.status_code == 400, bad
        assert "sudah tidak tersedia" in response.content.decode()
    assert appointment_for(registration_draft) is None


def test_it_refuses_a_full_slot(vendor_client, registration_draft, office, verifier):
    schedule(another_accepted(office), TUE_8, verifier)
    response = vendor_client.post(url(registration_draft), {"slots": [key(TUE_8)]})
    assert response.status_code == 400


def test_after_acceptance_a_change_tells_the_team(
    vendor_client, registration_documents_accepted, verifier, coordinator
):
    response = vendor_client.post(url(registration_documents_accepted), {"slots": [key(TUE_9)]})
    assert response.status_code == 302
    email = OutboundEmail.objects.get(template="appointment_proposed_staff")
    assert set(email.to) == {verifier.email, coordinator.email}
    assert "Selasa, 8 Desember 2026, 09.00–09.30 WIB" in email.body_text
    assert (
        reverse("schedule_manage", args=[registration_documents_accepted.code]) in email.body_text
    )


def test_the_assigned_verifier_alone_is_told_when_there_is_one(
    vendor_client, registration_documents_accepted, verifier, coordinator
):
    registration_documents_accepted.assigned_to = verifier
    registration_documents_accepted.save()
    vendor_client.post(url(registration_documents_accepted), {"slots": [key(TUE_9)]})
    assert OutboundEmail.objects.get(template="appointment_proposed_staff").to \
        == [verifier.email]


def test_proposing_again_declines_an_offer(
    vendor_client, registration_documents_accepted, verifier
):
    from verifikasi.scheduling import services

    propose(registration_documents_accepted, TUE_8)
    services.appointment_offer(
        registration=registration_documents_accepted, actor=verifier, starts=[WED_10]
    )
    response = vendor_client.post(url(registration_documents_accepted), {"slots": [key(THU_13)]})
    assert response.status_code == 302
    appointment = appointment_for(registration_documents_accepted)
    assert appointment.state == AppointmentState.PROPOSED
    assert not appointment.options.filter(kind=OptionKind.OFFERED).exists()
    assert AuditEvent.objects.filter(action="appointment.proposed").last() \
        .details["declined_offer"] is True


def test_it_is_refused_once_the_time_is_confirmed(
    vendor_client, registration_documents_accepted, verifier
):
    schedule(registration_documents_accepted, TUE_8, verifier)
    response = vendor_client.post(url(registration_documents_accepted), {"slots": [key(TUE_9)]})
    assert response.status_code == 403
    assert "sudah dikonfirmasi" in response.content.decode()
    assert proposed_starts(registration_documents_accepted) == []


@pytest.mark.parametrize("status", ["withdrawn", "verified"])
def test_it_is_refused_in_a_closed_or_later_state(clock, vendor_client, vendor, office, status):
    registration_documents_accepted = make_registration(vendor, office, status=status)
    response = vendor_client.post(url(registration_documents_accepted), {"slots": [key(TUE_8)]})
    assert response.status_code == 403
    assert appointment_for(registration_documents_accepted) is None


def test_another_vendor_gets_404(client, other_vendor, registration_draft):
    login(client, other_vendor)
    assert client.get(url(registration_draft)).status_code == 404
    assert client.post(url(registration_draft), {"slots": [key(TUE_8)]}).status_code == 404


def test_staff_cannot_propose_for_the_vendor(verifier_client, registration_draft):
    assert verifier_client.post(url(registration_draft), {"slots": [key(TUE_8)]}).status_code == 403


def test_proposal_problems_names_what_is_missing_for_the_submit_guard(clock, vendor, office):
    registration_documents_accepted = make_registration(vendor, office)
    assert proposal_problems(registration_documents_accepted) == [
        "Belum memilih usulan jadwal verifikasi."
    ]
    propose(registration_documents_accepted, TUE_8)
    assert proposal_problems(registration_documents_accepted) == []
    clock.move_to(wib(2026, 12, 8, 10, 0))
    assert proposal_problems(registration_documents_accepted) == [
        "Usulan jadwal verifikasi sudah lewat. Pilih jadwal baru."]


def test_changes_before_acceptance_do_not_email_the_team(clock, vendor_client, vendor, office,
                                                         verifier):
    registration_documents_accepted = make_registration(vendor, office, status="submitted")
    assert (
        vendor_client.post(
            url(registration_documents_accepted), {"slots": [key(TUE_9)]}
        ).status_code
        == 302
    )
    assert not OutboundEmail.objects.filter(template="appointment_proposed_staff").exists()
