"""Downloads of stored documents: the owner and the office's staff only, each one audited.

A KTP scan is personal data (UU No. 27/2022): every URL that names a document is 404 to
anyone else, and every file that leaves the server leaves an audit event behind.
"""

import pytest
from django.urls import reverse

from tests.conftest import assert_private_no_store, login, make_user
from tests.registrations.factories import add_document, make_registration
from verifikasi.accounts.models import Role
from verifikasi.core.models import AuditEvent
from verifikasi.registrations.checking import document_thumbnail_render

URL_NAMES = ["document_download", "document_thumbnail", "document_preview"]


@pytest.fixture
def registration_draft(vendor, office):
    return make_registration(vendor, office)


@pytest.fixture
def document(registration_draft):
    doc = add_document(registration_draft, "ktp", pages=2)
    document_thumbnail_render(doc.pk)
    doc.refresh_from_db()
    return doc


@pytest.fixture
def other_office_verifier(other_office):
    return make_user("verifikator@sambas.test", Role.VERIFIER, other_office, totp=True)


def url(name, document):
    return reverse(name, args=[document.registration.code, document.code])


def stored_bytes(document) -> bytes:
    with document.file.open("rb") as f:
        return f.read()


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_owner_downloads_the_pdf_as_an_attachment(vendor_client, document):
    response = vendor_client.get(url("document_download", document))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f'ktp-{document.registration.code.hex[:8]}-v1.pdf' in disposition
    assert_private_no_store(response)
    assert body(response) == stored_bytes(document)


def test_each_download_is_audited(vendor_client, vendor, document):
    vendor_client.get(url("document_download", document))
    vendor_client.get(url("document_download", document))

    events = AuditEvent.objects.filter(action="document.downloaded")
    assert events.count() == 2
    event = events.first()
    assert (event.actor, event.office, event.object_id) == (vendor, document.registration.office,
                                                            str(document.code))
    assert event.details == {"registration": str(document.registration.code), "type": "ktp",
                             "version": 1, "sha256": document.sha256}


@pytest.mark.parametrize("role_client", ["verifier_client", "coordinator_client"])
def test_staff_of_the_office_download_it_too(request, document, role_client):
    client = request.getfixturevalue(role_client)

    response = client.get(url("document_download", document))

    assert response.status_code == 200
    assert body(response) == stored_bytes(document)
    event = AuditEvent.objects.get(action="document.downloaded")
    assert event.actor_role == role_client.removesuffix("_client")


def test_an_earlier_version_can_still_be_downloaded(vendor_client, registration_draft, document):
    newer = add_document(registration_draft, "ktp", pages=3)
    assert newer.version == 2

    response = vendor_client.get(url("document_download", document))

    assert response.status_code == 200
    assert body(response) == stored_bytes(document)


@pytest.mark.parametrize("name", URL_NAMES)
def test_another_vendor_gets_404(client, other_vendor, document, name):
    login(client, other_vendor)

    assert client.get(url(name, document)).status_code == 404
    assert not AuditEvent.objects.filter(action__startswith="document.").exists()


@pytest.mark.parametrize("name", URL_NAMES)
def test_staff_of_another_office_get_404(client, other_office_verifier, document, name):
    login(client, other_office_verifier)

    assert client.get(url(name, document)).status_code == 404
    assert not AuditEvent.objects.filter(action__startswith="document.").exists()


@pytest.mark.parametrize("name", URL_NAMES)
def test_an_anonymous_visitor_is_sent_to_login_and_gets_no_file(client, document, name):
    response = client.get(url(name, document))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not response.streaming
    assert b"%PDF" not in response.content
    assert b"PNG" not in response.content


@pytest.mark.parametrize("name", URL_NAMES)
def test_a_document_of_another_registration_is_404_under_this_one(vendor_client, vendor,
                                                                   office, document, name):
    mine_too = make_registration(vendor, office, status="withdrawn", npwp="")
    wrong = reverse(name, args=[mine_too.code, document.code])

    assert vendor_client.get(wrong).status_code == 404


@pytest.mark.parametrize("name", URL_NAMES)
def test_the_owner_may_not_post(vendor_client, document, name):
    assert vendor_client.post(url(name, document)).status_code == 405
