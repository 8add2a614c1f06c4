"""Data saya and Permintaan data: who sees what, private headers, audit, the clock shown."""

from datetime import timedelta

import time_machine
from django.test import Client
from django.urls import reverse

from tests.conftest import assert_private_no_store, login
from verifikasi.core.models import AuditEvent
from verifikasi.privacy import requests
from verifikasi.privacy.models import DataRequest, RequestKind, RequestStatus

MY_DATA = reverse("privacy_my_data")
QUEUE = reverse("privacy_staff_requests")


def file(vendor, office, registration, kind=RequestKind.DELETION):
    return requests.data_request_file(user=vendor, office=office, kind=kind,
                                      registration=registration)


def test_it_shows_what_is_held_why_and_how_long_with_nik_masked(
        vendor_client, registration, settings):
    response = vendor_client.get(MY_DATA)
    assert response.status_code == 200
    assert_private_no_store(response)
    text = response.content.decode()
    assert registration.company_name in text
    assert registration.director_nik not in text
    assert "••••" + registration.director_nik[-4:] in text
    assert f"{settings.DOCUMENT_RETENTION_DAYS} hari" in text
    assert "Untuk apa" in text and "Berapa lama" in text
    assert AuditEvent.objects.filter(action="privacy.page_viewed").count() == 1


def test_staff_and_strangers_do_not_get_data_saya(client, verifier):
    assert client.get(MY_DATA).status_code == 302  # to login
    login(client, verifier)
    assert client.get(MY_DATA).status_code == 403


def test_the_vendor_files_a_request_and_sees_its_status(vendor_client, registration):
    response = vendor_client.post(reverse("privacy_request_file"), {"kind": "deletion"})
    assert response.status_code == 302
    dr = DataRequest.objects.get()
    assert dr.registration == registration
    text = vendor_client.get(MY_DATA).content.decode()
    assert "Penghapusan data" in text and "Diterima, sedang ditinjau" in text


def test_a_bad_request_is_a_clear_400_and_files_nothing(vendor_client, registration):
    response = vendor_client.post(reverse("privacy_request_file"),
                                  {"kind": "correction", "field": "npwp", "details": ""})
    assert response.status_code == 400
    assert "Jelaskan apa yang salah" in response.content.decode()
    response = vendor_client.post(reverse("privacy_request_file"), {"kind": "<script>"})
    assert response.status_code == 400
    assert not DataRequest.objects.exists()


def test_the_queue_shows_time_left_and_highlights_overdue(
        client, verifier, vendor, office, registration):
    dr = file(vendor, office, registration)
    login(client, verifier)
    response = client.get(QUEUE)
    assert_private_no_store(response)
    assert "71 jam" in response.content.decode()
    with time_machine.travel(dr.deadline + timedelta(hours=2), tick=False):
        text = login(Client(), verifier).get(QUEUE).content.decode()
    assert "Terlambat 2 jam" in text and "overdue" in text


def test_another_office_never_sees_or_answers_the_request(
        client, other_office_verifier, vendor, office, registration):
    dr = file(vendor, office, registration)
    login(client, other_office_verifier)
    assert str(dr.code) not in client.get(QUEUE).content.decode()
    url = reverse("privacy_staff_request", args=[dr.code])
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "accepted", "reason": "x"}).status_code == 404
    dr.refresh_from_db()
    assert dr.status == RequestStatus.RECEIVED


def test_a_vendor_cannot_open_the_staff_pages(vendor_client, other_vendor, office, registration,
                                              vendor):
    dr = file(vendor, office, registration)
    assert vendor_client.get(QUEUE).status_code == 403
    assert vendor_client.get(reverse("privacy_staff_request", args=[dr.code])).status_code == 403


def test_the_office_admin_and_head_may_answer(office_admin_client, vendor, office, registration):
    dr = file(vendor, office, registration)
    url = reverse("privacy_staff_request", args=[dr.code])
    assert office_admin_client.get(url).status_code == 200
    response = office_admin_client.post(url, {"decision": "refused", "reason": "Tidak jelas."})
    assert response.status_code == 302
    dr.refresh_from_db()
    assert dr.status == RequestStatus.ANSWERED


def test_staff_decide_with_a_reason_and_see_the_letter(
        client, verifier, vendor, office, registration):
    dr = file(vendor, office, registration)
    login(client, verifier)
    url = reverse("privacy_staff_request", args=[dr.code])
    page = client.get(url)
    assert "Dihapus sekarang" in page.content.decode()
    assert AuditEvent.objects.filter(action="privacy.request_viewed").exists()
    response = client.post(url, {"decision": "accepted", "reason": ""})
    assert response.status_code == 400
    dr.refresh_from_db()
    assert dr.is_open
    response = client.post(url, {"decision": "accepted", "reason": "Belum selesai."},
                           follow=True)
    text = response.content.decode()
    dr.refresh_from_db()
    assert dr.status == RequestStatus.ANSWERED
    assert dr.letter_subject in text


def test_the_vendor_sees_only_their_own_requests(client, other_vendor, vendor, office,
                                                 registration):
    file(vendor, office, registration)
    login(client, other_vendor)
    assert "Penghapusan data" not in client.get(MY_DATA).content.decode().split(
        "Permintaan Anda")[1].split("Ajukan permintaan")[0]
