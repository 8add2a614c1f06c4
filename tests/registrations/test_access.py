"""Every URL that names a registration is 404 to other vendors and anonymous users."""

import pytest
from django.urls import reverse

from tests.conftest import login
from tests.registrations.factories import make_registration

URLS = ["registration_company", "registration_documents", "registration_submit"]
POST_URLS = ["registration_withdraw"]


@pytest.fixture
def registration_draft(vendor, office):
    return make_registration(vendor, office)


@pytest.mark.parametrize("name", URLS)
def test_another_vendor_gets_404(client, other_vendor, registration_draft, name):
    login(client, other_vendor)
    assert client.get(reverse(name, args=[registration_draft.code])).status_code == 404


@pytest.mark.parametrize("name", POST_URLS)
def test_another_vendor_gets_404_on_post(client, other_vendor, registration_draft, name):
    login(client, other_vendor)
    assert client.post(reverse(name, args=[registration_draft.code])).status_code == 404
    registration_draft.refresh_from_db()
    assert registration_draft.status == "draft"


@pytest.mark.parametrize("name", URLS + POST_URLS)
def test_anonymous_is_sent_to_login(client, registration_draft, name):
    response = client.get(reverse(name, args=[registration_draft.code]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", URLS)
def test_the_owner_sees_the_page(vendor_client, registration_draft, name):
    assert vendor_client.get(reverse(name, args=[registration_draft.code])).status_code == 200


def test_staff_cannot_use_vendor_pages(verifier_client, registration_draft):
    url = reverse("registration_company", args=[registration_draft.code])
    assert verifier_client.get(url).status_code == 403


def test_withdraw_is_post_only(vendor_client, registration_draft):
    url = reverse("registration_withdraw", args=[registration_draft.code])
    assert vendor_client.get(url).status_code == 405
