"""Revoking a certificate: staff of its office, with a reason, audited, once."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from tests.conftest import make_user, run_worker
from verifikasi.accounts.models import Role
from verifikasi.certificates.models import Certificate
from verifikasi.certificates.services import (
    ERR_REASON_CATEGORY_REQUIRED,
    ERR_REASON_REQUIRED,
    CertificateStateError,
    certificate_revoke,
)
from verifikasi.core.models import AuditEvent
from verifikasi.notifications.models import OutboundEmail
from verifikasi.registrations.workflow import WorkflowError

from .conftest import issue


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_it_requires_a_reason(certificate, coordinator, reason):
    with pytest.raises(ValidationError) as e:
        certificate_revoke(
            reason_category="data_error", certificate=certificate, actor=coordinator, reason=reason)

    assert e.value.messages == [str(ERR_REASON_REQUIRED)]
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_it_records_who_when_and_why_and_audits_it(certificate, coordinator):
    certificate_revoke(
        reason_category="data_error",
        certificate=certificate, actor=coordinator, reason="  NIB salah  ")

    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    assert certificate.revoked_by == coordinator
    assert certificate.revoke_reason == "NIB salah"
    event = AuditEvent.objects.get(action="certificate.revoked")
    assert event.object_id == certificate.code
    assert event.actor == coordinator
    assert event.details["reason"] == "NIB salah"


def test_it_refuses_a_second_revocation(certificate, coordinator):
    certificate_revoke(
        reason_category="data_error",
        certificate=certificate, actor=coordinator, reason="Data salah")

    with pytest.raises(CertificateStateError):
        certificate_revoke(
            reason_category="data_error", certificate=Certificate.objects.get(pk=certificate.pk),
                           actor=coordinator, reason="Lagi")


@pytest.mark.parametrize("assigned", [False, True])
def test_a_verifier_cannot_revoke_on_their_own(certificate, office, verifier, assigned):
    """Only the office head or admin revokes by itself (the lifecycle map); the assigned
    verifier revokes only by rejecting the registration (tests/certificates/test_trust.py)."""
    actor = verifier if assigned else make_user("lain@lpse.test", Role.VERIFIER, office)
    with pytest.raises(WorkflowError):
        certificate_revoke(certificate=certificate, actor=actor,
                           reason_category="data_error", reason="Data salah")
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_it_refuses_vendors_and_staff_of_other_offices(certificate, vendor, other_office):
    outsider = make_user("v@sambas.test", "verifier", other_office)
    for actor in (vendor, outsider):
        with pytest.raises(WorkflowError):
            certificate_revoke(
                reason_category="data_error",
                certificate=certificate, actor=actor, reason="Data salah")


def test_the_database_refuses_a_revocation_without_reason(certificate):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.filter(pk=certificate.pk).update(revoked_at=timezone.now())


def test_a_new_certificate_needs_the_old_one_revoked(
    registration_verified, certificate, coordinator
):
    with pytest.raises(CertificateStateError):
        issue(registration_verified)

    certificate_revoke(reason_category="data_error", certificate=certificate, actor=coordinator,
                       reason="Nama perusahaan salah")
    replacement = issue(registration_verified)

    assert replacement.seq == certificate.seq + 1
    assert replacement.code != certificate.code


# --- the staff page -------------------------------------------------------------------

def test_the_coordinator_revokes_through_the_page(coordinator_client, certificate):
    url = reverse("certificate_revoke", args=[certificate.code])
    assert coordinator_client.get(url).status_code == 200

    response = coordinator_client.post(url, {"reason_category": "data_error",
                                             "reason": "Salah data"})

    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revoke_reason == "Salah data"
    assert certificate.revoke_reason_category == "data_error"


def test_a_verifier_gets_403_on_the_revoke_page(verifier_client, certificate):
    url = reverse("certificate_revoke", args=[certificate.code])
    assert verifier_client.post(url, {"reason_category": "data_error",
                                      "reason": "Salah data"}).status_code == 403
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_the_page_requires_a_reason(coordinator_client, certificate):
    url = reverse("certificate_revoke", args=[certificate.code])

    response = coordinator_client.post(url, {"reason_category": "data_error", "reason": ""})

    assert response.status_code == 200
    assert str(ERR_REASON_REQUIRED) in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_the_page_is_a_404_for_the_vendor(vendor_client, certificate):
    url = reverse("certificate_revoke", args=[certificate.code])

    assert vendor_client.post(url, {"reason": "x"}).status_code == 404
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


# --- the reason category, the emails and the caller's transaction (issue 13) -----------

@pytest.mark.parametrize("category", ["", "bogus", None])
def test_it_requires_a_known_reason_category(certificate, coordinator, category):
    with pytest.raises(ValidationError) as e:
        certificate_revoke(certificate=certificate, actor=coordinator,
                           reason_category=category, reason="Data salah")

    assert e.value.messages == [str(ERR_REASON_CATEGORY_REQUIRED)]
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_the_page_requires_a_reason_category(coordinator_client, certificate):
    url = reverse("certificate_revoke", args=[certificate.code])
    page = coordinator_client.get(url)
    assert 'value="invalid_documents"' in page.text

    response = coordinator_client.post(url, {"reason": "Salah data"})

    assert response.status_code == 200
    assert str(ERR_REASON_CATEGORY_REQUIRED) in response.text
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_the_audit_event_names_the_category(certificate, coordinator):
    certificate_revoke(certificate=certificate, actor=coordinator,
                       reason_category="invalid_documents", reason="KTP palsu")

    event = AuditEvent.objects.get(action="certificate.revoked")
    assert event.details["category"] == "invalid_documents"
    assert event.details["registration"] == str(certificate.registration.code)


def test_the_vendor_and_the_office_head_are_emailed(certificate, coordinator, vendor, verifier,
                                                    office):
    second_head = make_user("ketua2@lpse.test", Role.COORDINATOR, office)

    certificate_revoke(certificate=certificate, actor=coordinator,
                       reason_category="invalid_documents", reason="KTP direktur palsu")

    to_vendor = OutboundEmail.objects.get(template="certificate_revoked")
    assert to_vendor.to == [vendor.email]
    assert certificate.number in to_vendor.subject
    assert "DICABUT" in to_vendor.body_text
    assert "Dokumen persyaratan tidak sah" in to_vendor.body_text
    assert "Dokumen persyaratan tidak sah" in to_vendor.body_html
    assert "KTP direktur palsu" not in to_vendor.body_text  # the reason stays internal
    assert f"/cek/{certificate.code}/" in to_vendor.body_text
    to_heads = OutboundEmail.objects.get(template="certificate_revoked_staff")
    assert sorted(to_heads.to) == sorted([coordinator.email, second_head.email])
    assert verifier.email not in to_heads.to
    assert "KTP direktur palsu" in to_heads.body_text
    assert "Ketua Tim" in to_heads.body_text  # who revoked it
    assert certificate.company_name in to_heads.subject


def test_the_emails_arrive_through_smtp(certificate, coordinator, vendor, smtp_server):
    certificate_revoke(certificate=certificate, actor=coordinator,
                       reason_category="data_error", reason="NIB salah")

    run_worker()

    [received] = smtp_server.to(vendor.email)
    assert "dicabut" in received["Subject"]
    assert smtp_server.to(coordinator.email)


def test_it_joins_the_callers_transaction(certificate, coordinator):
    # A rejection that revokes: if the rejection fails, nothing of the revocation stays.
    with pytest.raises(RuntimeError), transaction.atomic():
        certificate_revoke(certificate=certificate, actor=coordinator,
                           reason_category="registration_rejected", reason="Ditolak")
        raise RuntimeError("the rejection failed")

    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    assert not OutboundEmail.objects.filter(template__startswith="certificate_revoked").exists()
    assert not AuditEvent.objects.filter(action="certificate.revoked").exists()
