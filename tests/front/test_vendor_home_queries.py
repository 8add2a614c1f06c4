"""The vendor's home (issue 16): its office comes with the registration and its vendor is
the logged-in person, so neither is loaded again; without a registration the office is
looked up once."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.registrations.factories import add_document, make_registration


def tables(queries, name):
    return [q["sql"] for q in queries if f'FROM "{name}"' in q["sql"]]


def test_the_office_and_the_vendor_come_with_the_registration(vendor_client, vendor, office):
    registration = make_registration(vendor, office, company_name="CV Kueri Hemat")
    add_document(registration, "ktp")
    first = vendor_client.get(reverse("vendor_home"))
    assert first.context["office"] == office
    assert first.context["registration"] == registration
    with CaptureQueriesContext(connection) as queries:
        response = vendor_client.get(reverse("vendor_home"))
    assert response.status_code == 200
    assert "CV Kueri Hemat" in response.content.decode()
    assert not tables(queries, "offices_office")  # joined to the registration
    assert len(tables(queries, "accounts_user")) == 1  # the session's user, once
    assert len(tables(queries, "registrations_registration")) == 1
    # A draft has no certificate and no booked call: neither is looked for (9 before).
    assert not tables(queries, "certificates_certificate")
    assert not tables(queries, "meetings_meeting")
    # Session, user, registration (+office), survey invitation, document types, documents,
    # appointment (the draft's "dates proposed" condition).
    assert len(queries) <= 7


def test_without_a_registration_the_office_is_looked_up(vendor_client, office):
    with CaptureQueriesContext(connection) as queries:
        response = vendor_client.get(reverse("vendor_home"))
    assert response.status_code == 200
    assert response.context["office"] == office and response.context["registration"] is None
    assert len(tables(queries, "offices_office")) == 1


def test_another_offices_registration_is_not_the_current_one(vendor_client, vendor,
                                                             other_office):
    make_registration(vendor, other_office, company_name="CV Kantor Lain")
    response = vendor_client.get(reverse("vendor_home"))
    assert response.context["registration"] is None
    assert "CV Kantor Lain" not in response.content.decode()
