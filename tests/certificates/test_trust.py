"""The certificate must never be wrong: what can no longer happen once it is issued."""

import datetime

import pytest
from django.urls import reverse

from verifikasi.certificates.models import Certificate
from verifikasi.core.models import AuditEvent

CALL_DAY = datetime.date(2026, 11, 20)


@pytest.fixture
def certified(registration, verifier_client):
    registration.call_held_on = CALL_DAY
    registration.save()
    verifier_client.post(reverse("staff_spse_approval", args=[registration.code]),
                         {"confirmed": "1", "spse_user_id": "cvmajujaya"})
    registration.refresh_from_db()
    assert registration.status == "certificate_sent"
    return registration


def test_the_vendor_is_not_offered_to_withdraw_after_the_certificate(certified, vendor_client):
    page = vendor_client.get(reverse("vendor_home")).content.decode()
    assert "Batalkan pendaftaran" not in page
    assert reverse("registration_withdraw", args=[certified.code]) not in page


def test_withdrawing_after_the_certificate_is_refused_and_changes_nothing(certified,
                                                                          vendor_client):
    events = AuditEvent.objects.count()
    response = vendor_client.post(reverse("registration_withdraw", args=[certified.code]),
                                  {"reason": "iseng"})
    assert response.status_code == 403
    assert "tanda lulusnya sudah terbit" in response.content.decode()
    certified.refresh_from_db()
    assert certified.status == "certificate_sent"
    assert Certificate.objects.get(registration=certified).revoked_at is None
    assert AuditEvent.objects.count() == events


def test_the_vendor_may_still_withdraw_before_the_certificate(registration, vendor_client):
    page = vendor_client.get(reverse("vendor_home")).content.decode()
    assert "Batalkan pendaftaran" in page


def reject(client, registration, **data):
    return client.post(reverse("staff_reject", args=[registration.code]),
                       {"reason": "KTP asli ternyata palsu", **data}, follow=True)


def test_rejecting_a_certified_registration_needs_the_revocation_ticked(certified,
                                                                         verifier_client):
    page = verifier_client.get(reverse("staff_review", args=[certified.code])).content.decode()
    assert 'name="revoke_certificate"' in page
    response = reject(verifier_client, certified)
    assert "penolakan mencabutnya" in response.content.decode()
    certified.refresh_from_db()
    assert certified.status == "certificate_sent"
    assert Certificate.objects.get(registration=certified).revoked_at is None


def test_the_assigned_verifier_rejects_and_revokes_in_one_step(certified, verifier_client,
                                                                verifier, client):
    reject(verifier_client, certified, revoke_certificate="1")
    certified.refresh_from_db()
    assert certified.status == "rejected"
    certificate = Certificate.objects.get(registration=certified)
    assert certificate.revoked_by == verifier
    assert certificate.revoke_reason_category == "registration_rejected"
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert actions[-2:] == ["registration.reject", "certificate.revoked"]
    # The public check says so at once, with the category and no personal reason.
    check = client.get(reverse("certificate_check", args=[certificate.code])).content.decode()
    assert "DICABUT" in check
    assert "Pendaftaran verifikasi ditolak" in check
    assert "palsu" not in check


def test_an_unassigned_verifier_cannot_reject_after_the_certificate(certified, office,
                                                                    client):
    from tests.conftest import login, make_user
    from verifikasi.accounts.models import Role

    colleague = make_user("lain@lpse.test", Role.VERIFIER, office, totp=True)
    login(client, colleague)
    response = client.post(reverse("staff_reject", args=[certified.code]),
                           {"reason": "x", "revoke_certificate": "1"})
    assert response.status_code == 403
    certified.refresh_from_db()
    assert certified.status == "certificate_sent"
    assert Certificate.objects.get(registration=certified).revoked_at is None


def test_the_office_head_may_reject_and_revoke(certified, coordinator_client):
    reject(coordinator_client, certified, revoke_certificate="1")
    certified.refresh_from_db()
    assert certified.status == "rejected"
    assert Certificate.objects.get(registration=certified).revoked_at is not None


def test_a_failed_revocation_leaves_the_registration_open(certified, verifier_client,
                                                          monkeypatch):
    """One transaction: if revoking fails, the rejection is not recorded either."""
    from verifikasi.certificates import outcome

    def broken(**kwargs):
        raise RuntimeError("storage down")

    monkeypatch.setattr(outcome, "certificate_revocation_record", broken)
    with pytest.raises(RuntimeError):
        reject(verifier_client, certified, revoke_certificate="1")
    certified.refresh_from_db()
    assert certified.status == "certificate_sent"
    assert not AuditEvent.objects.filter(action="registration.reject").exists()
