"""Downloading the signed PDF: the vendor it certifies and office staff only, audited."""

from django.urls import reverse

from tests.conftest import assert_private_no_store, login, make_user
from verifikasi.core.models import AuditEvent

from .conftest import certificate_bytes


def url(certificate):
    return reverse("certificate_download", args=[certificate.code])


def test_the_owner_gets_the_signed_pdf_and_it_is_audited(vendor_client, certificate, vendor):
    response = vendor_client.get(url(certificate))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert_private_no_store(response)
    assert b"".join(response.streaming_content) == certificate_bytes(certificate)
    event = AuditEvent.objects.get(action="certificate.downloaded")
    assert (event.actor, event.object_id) == (vendor, certificate.code)


def test_staff_of_the_office_may_download(verifier_client, certificate):
    assert verifier_client.get(url(certificate)).status_code == 200


def test_another_vendor_gets_a_404(client, other_vendor, certificate):
    login(client, other_vendor)

    assert client.get(url(certificate)).status_code == 404
    assert not AuditEvent.objects.filter(action="certificate.downloaded").exists()


def test_staff_of_another_office_get_a_404(client, other_office, certificate):
    login(client, make_user("v@sambas.test", "verifier", other_office, totp=True))

    assert client.get(url(certificate)).status_code == 404


def test_anonymous_is_sent_to_log_in(client, certificate):
    response = client.get(url(certificate))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_it_is_get_only(vendor_client, certificate):
    assert vendor_client.post(url(certificate)).status_code == 405
