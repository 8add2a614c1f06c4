"""Revoking a certificate: staff of its office, with a reason, audited, once."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.conftest import make_user
from verifikasi.certificates.models import Certificate
from verifikasi.certificates.services import (
    ERR_REASON_REQUIRED,
    CertificateStateError,
    certificate_revoke,
)
from verifikasi.core.models import AuditEvent

from .conftest import issue


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_it_requires_a_reason(certificate, coordinator, reason):
    with pytest.raises(ValidationError) as e:
        certificate_revoke(certificate=certificate, actor=coordinator, reason=reason)

    assert e.value.messages == [str(ERR_REASON_REQUIRED)]
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_it_records_who_when_and_why_and_audits_it(certificate, coordinator):
    certificate_revoke(certificate=certificate, actor=coordinator, reason="  NIB salah  ")

    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    assert certificate.revoked_by == coordinator
    assert certificate.revoke_reason == "NIB salah"
    event = AuditEvent.objects.get(action="certificate.revoked")
    assert event.object_id == certificate.code
    assert event.actor == coordinator
    assert event.details["reason"] == "NIB salah"


def test_it_refuses_a_second_revocation(certificate, coordinator):
    certificate_revoke(certificate=certificate, actor=coordinator, reason="Data salah")

    with pytest.raises(CertificateStateError):
        certificate_revoke(certificate=Certificate.objects.get(pk=certificate.pk),
                           actor=coordinator, reason="Lagi")


def test_a_verifier_cannot_revoke(certificate, verifier):
    with pytest.raises(CertificateStateError):
        certificate_revoke(certificate=certificate, actor=verifier, reason="Data salah")
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_it_refuses_vendors_and_staff_of_other_offices(certificate, vendor, other_office):
    outsider = make_user("v@sambas.test", "verifier", other_office)
    for actor in (vendor, outsider):
        with pytest.raises(CertificateStateError):
            certificate_revoke(certificate=certificate, actor=actor, reason="Data salah")


def test_the_database_refuses_a_revocation_without_reason(certificate):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.filter(pk=certificate.pk).update(revoked_at=timezone.now())


def test_a_new_certificate_needs_the_old_one_revoked(registration, certificate, coordinator):
    with pytest.raises(CertificateStateError):
        issue(registration)

    certificate_revoke(certificate=certificate, actor=coordinator,
                       reason="Nama perusahaan salah")
    replacement = issue(registration)

    assert replacement.seq == certificate.seq + 1
    assert replacement.code != certificate.code


# --- the staff page -------------------------------------------------------------------

def test_the_coordinator_revokes_through_the_page(coordinator_client, certificate):
    url = reverse("certificate_revoke", args=[certificate.code])
    assert coordinator_client.get(url).status_code == 200

    response = coordinator_client.post(url, {"reason": "Salah data"})

    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revoke_reason == "Salah data"


def test_a_verifier_gets_403_on_the_revoke_page(verifier_client, certificate):
    url = reverse("certificate_revoke", args=[certificate.code])
    assert verifier_client.post(url, {"reason": "Salah data"}).status_code == 403
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_the_page_requires_a_reason(coordinator_client, certificate):
    url = reverse("certificate_revoke", args=[certificate.code])

    response = coordinator_client.post(url, {"reason": ""})

    assert response.status_code == 200
    assert str(ERR_REASON_REQUIRED) in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_the_page_is_a_404_for_the_vendor(vendor_client, certificate):
    url = reverse("certificate_revoke", args=[certificate.code])

    assert vendor_client.post(url, {"reason": "x"}).status_code == 404
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
