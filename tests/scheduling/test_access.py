"""Every scheduling URL: anonymous users go to the login page, outsiders get 404, the
wrong role 403, and POST-only URLs answer GET with 405."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import login, make_user
from verifikasi.accounts.models import Role

VENDOR_URLS = ["schedule_vendor", "schedule_propose", "schedule_offer_respond",
               "schedule_reschedule_request", "schedule_invite"]
STAFF_URLS = ["schedule_manage", "schedule_confirm", "schedule_offer",
              "schedule_staff_reschedule", "schedule_no_show"]
STAFF_POST_ONLY = ["schedule_confirm", "schedule_offer", "schedule_staff_reschedule",
                   "schedule_no_show"]
OFFICE_URLS = ["schedule_calendar", "schedule_availability"]


@pytest.mark.parametrize("name", VENDOR_URLS + STAFF_URLS)
def test_anonymous_is_sent_to_login(client, registration_documents_accepted, name):
    response = client.get(reverse(name, args=[registration_documents_accepted.code]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", ["schedule_vendor", "schedule_propose",
                                  "schedule_offer_respond", "schedule_reschedule_request",
                                  "schedule_invite"])
def test_another_vendor_gets_404(client, other_vendor, registration_documents_accepted, name):
    login(client, other_vendor)
    assert client.get(reverse(name, args=[registration_documents_accepted.code])).status_code == 404


@pytest.mark.parametrize("name", ["schedule_vendor", "schedule_propose",
                                  "schedule_offer_respond", "schedule_reschedule_request"])
def test_staff_cannot_open_vendor_pages(verifier_client, registration_documents_accepted, name):
    assert (
        verifier_client.get(reverse(name, args=[registration_documents_accepted.code])).status_code
        == 403
    )


@pytest.mark.parametrize("name", STAFF_URLS)
def test_vendors_cannot_use_staff_urls(vendor_client, registration_documents_accepted, name):
    assert (
        vendor_client.post(reverse(name, args=[registration_documents_accepted.code])).status_code
        == 403
    )


@pytest.mark.parametrize("name", STAFF_URLS)
def test_staff_of_another_office_get_404(
    client, other_office, registration_documents_accepted, name
):
    login(client, make_user("verif@sambas.test", Role.VERIFIER, other_office, totp=True))
    assert (
        client.post(reverse(name, args=[registration_documents_accepted.code])).status_code == 404
    )


@pytest.mark.parametrize("name", STAFF_POST_ONLY)
def test_post_only_urls_answer_get_with_405(verifier_client, registration_documents_accepted, name):
    assert (
        verifier_client.get(reverse(name, args=[registration_documents_accepted.code])).status_code
        == 405
    )


def test_closure_delete_is_post_only(coordinator_client, clock):
    url = reverse("schedule_closure_delete", args=[uuid.uuid4()])
    assert coordinator_client.get(url).status_code == 405


@pytest.mark.parametrize("name", OFFICE_URLS)
def test_office_pages_are_for_office_staff(
    registration_documents_accepted, admin_user, vendor, name
):
    assert login(Client(), admin_user).get(reverse(name)).status_code == 200
    assert login(Client(), vendor).get(reverse(name)).status_code == 403


def test_an_unknown_registration_is_404(verifier_client, clock):
    url = reverse("schedule_manage", args=[uuid.uuid4()])
    assert verifier_client.get(url).status_code == 404
