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
