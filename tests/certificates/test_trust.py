"""The certificate must never be wrong: what can no longer happen once it is issued."""


import pytest
from django.urls import reverse

from verifikasi.certificates.models import Certificate
from verifikasi.core.models import AuditEvent


@pytest.fixture
def registration_certified(registration_verified, verifier_client):
    verifier_client.post(reverse("staff_spse_approval", args=[registration_verified.code]),
                         {"confirmed": "1", "spse_user_id": "cvmajujaya"})
    registration_verified.refresh_from_db()
    assert registration_verified.status == "certificate_sent"
    return registration_verified


def test_the_vendor_is_not_offered_to_withdraw_after_the_certificate(
    registration_certified, vendor_client
):
    page = vendor_client.get(reverse("vendor_home")).content.decode()
    assert "Batalkan pendaftaran" not in page
    assert reverse("registration_withdraw", args=[registration_certified.code]) not in page


def test_withdrawing_after_the_certificate_is_refused_and_changes_nothing(registration_certified,
                                                                          vendor_client):
    events = AuditEvent.objects.count()
    response = vendor_client.post(
        reverse("registration_withdraw", args=[registration_certified.code]), {"reason": "iseng"}
    )
    assert response.status_code == 403
    assert "tanda lulusnya sudah terbit" in response.content.decode()
    registration_certified.refresh_from_db()
    assert registration_certified.status == "certificate_sent"
    assert Certificate.objects.get(registration=registration_certified).revoked_at is None
    assert AuditEvent.objects.count() == events


def test_the_vendor_may_still_withdraw_before_the_certificate(registration_verified, vendor_client):
    page = vendor_client.get(reverse("vendor_home")).content.decode()
    assert "Batalkan pendaftaran" in page


def reject(client, registration_verified, **data):
    return client.post(reverse("staff_reject", args=[registration_verified.code]),
                       {"reason": "KTP asli ternyata palsu", **data}, follow=True)


def test_rejecting_a_certified_registration_needs_the_revocation_ticked(registration_certified,
                                                                         verifier_client):
    page = verifier_client.get(
        reverse("staff_review", args=[registration_certified.code])
    ).content.decode()
    assert 'name="revoke_certificate"' in page
    response = reject(verifier_client, registration_certified)
    assert "penolakan mencabutnya" in response.content.decode()
    registration_certified.refresh_from_db()
    assert registration_certified.status == "certificate_sent"
    assert Certificate.objects.get(registration=registration_certified).revoked_at is None


def test_the_assigned_verifier_rejects_and_revokes_in_one_step(
    registration_certified, verifier_client, verifier, client
):
    reject(verifier_client, registration_certified, revoke_certificate="1")
    registration_certified.refresh_from_db()
    assert registration_certified.status == "rejected"
    certificate = Certificate.objects.get(registration=registration_certified)
    assert certificate.revoked_by == verifier
    assert certificate.revoke_reason_category == "registration_rejected"
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert actions[-2:] == ["registration.reject", "certificate.revoked"]
    # The public check says so at once, with the category and no personal reason.
    check = client.get(reverse("certificate_check", args=[certificate.code])).content.decode()
    assert "DICABUT" in check
    assert "Pendaftaran verifikasi ditolak" in check
    assert "palsu" not in check


def test_an_unassigned_verifier_cannot_reject_after_the_certificate(registration_certified, office,
                                                                    client):
    from tests.conftest import login, make_user
    from verifikasi.accounts.models import Role

    colleague = make_user("lain@lpse.test", Role.VERIFIER, office, totp=True)
    login(client, colleague)
    response = client.post(reverse("staff_reject", args=[registration_certified.code]),
                           {"reason": "x", "revoke_certificate": "1"})
    assert response.status_code == 403
    registration_certified.refresh_from_db()
    assert registration_certified.status == "certificate_sent"
    assert Certificate.objects.get(registration=registration_certified).revoked_at is None


def test_the_office_head_may_reject_and_revoke(registration_certified, coordinator_client):
    reject(coordinator_client, registration_certified, revoke_certificate="1")
    registration_certified.refresh_from_db()
    assert registration_certified.status == "rejected"
    assert Certificate.objects.get(registration=registration_certified).revoked_at is not None


def test_a_failed_revocation_leaves_the_registration_open(registration_certified, verifier_client,
                                                          monkeypatch):
    """One transaction: if revoking fails, the rejection is not recorded either."""
    from verifikasi.certificates import outcome

    def broken(**kwargs):
        raise RuntimeError("storage down")

    monkeypatch.setattr(outcome, "certificate_revocation_record", broken)
    with pytest.raises(RuntimeError):
        reject(verifier_client, registration_certified, revoke_certificate="1")
    registration_certified.refresh_from_db()
    assert registration_certified.status == "certificate_sent"
    assert not AuditEvent.objects.filter(action="registration.reject").exists()
