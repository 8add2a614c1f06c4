"""The vendor's view of their call: the partial the vendor home includes
(``scheduling/_vendor_appointment.html``, context: registration), with the confirmed
time and a countdown rendered on the server."""

from datetime import timedelta

from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from tests.scheduling.factories import propose, schedule, wib
from verifikasi.scheduling import services

THU_13 = wib(2026, 12, 10, 13, 0)


def panel(client, registration_documents_accepted) -> str:
    response = client.get(reverse("schedule_vendor", args=[registration_documents_accepted.code]))
    assert response.status_code == 200
    return response.content.decode()


def test_without_a_proposal_it_asks_for_one(vendor_client, registration_documents_accepted):
    page = panel(vendor_client, registration_documents_accepted)
    assert "Belum memilih usulan jadwal verifikasi" in page
    assert reverse("schedule_propose", args=[registration_documents_accepted.code]) in page


def test_it_lists_the_proposals_waiting_for_the_team(
    vendor_client, registration_documents_accepted
):
    propose(registration_documents_accepted, THU_13)
    page = panel(vendor_client, registration_documents_accepted)
    assert "Kamis, 10 Desember 2026, 13.00–13.30 WIB" in page
    assert "Menunggu konfirmasi tim verifikator" in page


def test_it_offers_the_substitutes_to_accept(
    vendor_client, registration_documents_accepted, verifier
):
    services.appointment_offer(
        registration=registration_documents_accepted, actor=verifier, starts=[THU_13]
    )
    page = panel(vendor_client, registration_documents_accepted)
    assert reverse("schedule_offer_respond", args=[registration_documents_accepted.code]) in page
    assert 'type="radio" name="start" value="2026-12-10T13:00+07:00"' in page


def test_it_shows_the_confirmed_time_and_a_countdown(
    vendor_client, registration_documents_accepted, verifier
):
    schedule(registration_documents_accepted, THU_13, verifier)
    page = panel(vendor_client, registration_documents_accepted)
    assert "Kamis, 10 Desember 2026, 13.00–13.30 WIB" in page
    assert "3 hari 4 jam lagi" in page
    assert 'data-countdown' in page and 'datetime="2026-12-10T13:00:00+07:00"' in page
    assert '<script src="/static/verifikasi/countdown.js" defer></script>' in page
    assert (
        reverse("schedule_reschedule_request", args=[registration_documents_accepted.code]) in page
    )
    assert reverse("schedule_invite", args=[registration_documents_accepted.code]) in page


def test_after_the_cutoff_it_says_whom_to_contact_instead(
    clock, vendor_client, registration_documents_accepted, verifier
):
    schedule(registration_documents_accepted, THU_13, verifier)
    clock.move_to(THU_13 - timedelta(hours=5))
    page = panel(vendor_client, registration_documents_accepted)
    assert "5 jam lagi" in page
    assert (
        reverse("schedule_reschedule_request", args=[registration_documents_accepted.code])
        not in page
    )
    assert "Hubungi tim verifikator" in page


def test_it_renders_with_only_the_registration_for_the_vendor_home(
    registration_documents_accepted, verifier
):
    schedule(registration_documents_accepted, THU_13, verifier)
    request = RequestFactory().get("/")
    request.user = registration_documents_accepted.vendor
    html = render_to_string("scheduling/_vendor_appointment.html",
                            {"registration": registration_documents_accepted}, request=request)
    assert "3 hari 4 jam lagi" in html


def test_it_shows_nothing_once_the_registration_is_closed(registration_documents_accepted, vendor):
    registration_documents_accepted.status = "withdrawn"
    registration_documents_accepted.save()
    html = render_to_string("scheduling/_vendor_appointment.html",
                            {"registration": registration_documents_accepted})
    assert html.strip() == ""


def test_proposals_that_went_by_unanswered_ask_for_new_ones(clock, vendor_client,
                                                            registration_documents_accepted):
    propose(registration_documents_accepted, THU_13)
    clock.move_to(THU_13 + timedelta(days=1))
    page = panel(vendor_client, registration_documents_accepted)
    assert "Silakan usulkan waktu baru" in page
