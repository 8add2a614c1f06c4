"""C.6–C.10 end to end: SPSE approval recorded → certificate issued and emailed →
the vendor confirms receipt → completed."""

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import login, make_user, run_worker
from verifikasi.accounts.models import Role
from verifikasi.certificates import outcome
from verifikasi.certificates.models import Certificate, CertificateSettings
from verifikasi.core.models import AuditEvent
from verifikasi.notifications.models import OutboundEmail

from .conftest import CALL_DATE as CALL_DAY  # noqa: E402 (the day registration_verified passed)


def approve(client, registration_verified, **data):
    data = {"confirmed": "1", "spse_user_id": "cvmajujaya", **data}
    return client.post(reverse("staff_spse_approval", args=[registration_verified.code]), data)


def test_recording_the_spse_approval_issues_and_emails_the_certificate(
        verifier_client, registration_verified, verifier, smtp_server):
    response = approve(verifier_client, registration_verified)
    assert response.status_code == 302
    registration_verified.refresh_from_db()
    assert registration_verified.status == "certificate_sent"
    assert registration_verified.spse_approved_by == verifier
    assert registration_verified.spse_approved_user_id == "cvmajujaya"
    certificate = Certificate.objects.get(registration=registration_verified)
    assert certificate.call_date == CALL_DAY
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert actions[-3:] == ["registration.spse_approved", "registration.issue_certificate",
                            "certificate.issued"]
    run_worker()
    [message] = [m for m in smtp_server.messages if "Tanda Lulus" in m["Subject"]]
    attachments = list(message.message.iter_attachments())
    assert [a.get_content_type() for a in attachments] == ["application/pdf"]
    pdf = attachments[0].get_content()
    assert pdf.startswith(b"%PDF-")
    assert message.text.count("/tanda-terima/") == 1


@pytest.mark.parametrize("data, message", [
    ({"confirmed": ""}, "Centang konfirmasi"),
    ({"spse_user_id": " "}, "User ID SPSE"),
    ({"spse_user_id": "cvmaju\r\nBcc: x@evil.test"}, "satu baris"),  # issue 13
    ({"spse_user_id": "cv\u202emaju"}, "karakter tersembunyi"),
    ({"spse_user_id": "x" * 101}, "paling banyak 100 karakter"),
])
def test_an_incomplete_approval_changes_nothing(
    verifier_client, registration_verified, data, message
):
    response = approve(verifier_client, registration_verified, **data)
    assert response.status_code == 302
    registration_verified.refresh_from_db()
    assert (
        registration_verified.status == "verified"
        and registration_verified.spse_approved_at is None
    )
    assert not Certificate.objects.exists()
    page = verifier_client.get(reverse("staff_review", args=[registration_verified.code]))
    assert message in page.content.decode()


def test_approval_in_the_wrong_state_or_role_is_refused(
    verifier_client, registration_verified, client, other_office
):
    registration_verified.status = "scheduled"
    registration_verified.save()
    assert approve(verifier_client, registration_verified).status_code == 403
    registration_verified.status = "verified"
    registration_verified.save()
    login(client, registration_verified.vendor)
    assert approve(client, registration_verified).status_code == 403
    outsider = make_user("v@sambas.test", Role.VERIFIER, other_office, totp=True)
    assert approve(login(Client(), outsider), registration_verified).status_code == 404
    assert not Certificate.objects.exists()


def test_with_countersign_the_coordinator_is_the_second_person(
        verifier_client, registration_verified, coordinator, office):
    CertificateSettings.objects.filter(office=office).update(require_countersign=True)
    approve(verifier_client, registration_verified)
    registration_verified.refresh_from_db()
    assert registration_verified.status == "verified" and not Certificate.objects.exists()
    url = reverse("staff_countersign", args=[registration_verified.code])
    assert verifier_client.post(url).status_code == 403  # a verifier is not the coordinator
    coordinator_client = login(Client(), coordinator)
    assert coordinator_client.post(url).status_code == 302
    registration_verified.refresh_from_db()
    assert (
        registration_verified.status == "certificate_sent"
        and registration_verified.countersigned_by == coordinator
    )
    assert Certificate.objects.filter(registration=registration_verified).count() == 1


def test_the_coordinator_cannot_countersign_their_own_approval(
    registration_verified, coordinator, office
):
    CertificateSettings.objects.filter(office=office).update(require_countersign=True)
    client = login(Client(), coordinator)
    approve(client, registration_verified)
    client.post(reverse("staff_countersign", args=[registration_verified.code]))
    registration_verified.refresh_from_db()
    assert (
        registration_verified.status == "verified"
        and registration_verified.countersigned_at is None
    )


@pytest.fixture
def registration_certified(verifier_client, registration_verified):
    approve(verifier_client, registration_verified)
    registration_verified.refresh_from_db()
    return registration_verified


def receipt_link(registration_verified):
    email = OutboundEmail.objects.get(template="certificate_issued")
    return re.search(r"http://testserver(/tanda-terima/\S+/)", email.body_text).group(1)


def test_the_emailed_link_confirms_receipt_without_login_exactly_once(registration_certified):
    anonymous = Client()
    link = receipt_link(registration_certified)
    page = anonymous.get(link)
    assert page.status_code == 200
    registration_certified.refresh_from_db()
    assert registration_certified.status == "certificate_sent"  # opening the link changes nothing
    assert anonymous.post(link).status_code == 200
    registration_certified.refresh_from_db()
    assert registration_certified.status == "completed"
    assert Certificate.objects.get(registration=registration_certified).receipt_confirmed_at
    assert anonymous.post(link).status_code == 200
    assert AuditEvent.objects.filter(action="registration.confirm_receipt").count() == 1
    event = AuditEvent.objects.get(action="registration.confirm_receipt")
    assert event.actor == registration_certified.vendor and event.details["via"] == "link"


def test_a_tampered_link_is_404(registration_certified):
    assert Client().get(receipt_link(registration_certified)[:-3] + "xx/").status_code == 404


def test_the_vendor_confirms_from_the_home_page(registration_certified):
    client = login(Client(), registration_certified.vendor)
    home = client.get(reverse("home")).content.decode()
    assert reverse("receipt_from_home", args=[registration_certified.code]) in home
    assert (
        client.post(reverse("receipt_from_home", args=[registration_certified.code])).status_code
        == 302
    )
    registration_certified.refresh_from_db()
    assert registration_certified.status == "completed"
    assert (
        client.post(reverse("receipt_from_home", args=[registration_certified.code])).status_code
        == 403
    )
    assert (
        client.get(reverse("receipt_from_home", args=[registration_certified.code])).status_code
        == 405
    )


def test_another_vendor_cannot_confirm(registration_certified, other_vendor):
    client = login(Client(), other_vendor)
    assert (
        client.post(reverse("receipt_from_home", args=[registration_certified.code])).status_code
        == 404
    )


def test_a_reminder_goes_out_once_when_receipt_is_not_confirmed(registration_certified, office):
    days = CertificateSettings.objects.get(office=office).receipt_reminder_days
    run_worker()
    assert not OutboundEmail.objects.filter(template="receipt_reminder").exists()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=days, minutes=1)):
        run_worker()
        run_worker()
    assert OutboundEmail.objects.filter(template="receipt_reminder").count() == 1
    registration_certified.refresh_from_db()
    assert registration_certified.receipt_reminder_sent_at is not None


def test_no_reminder_after_receipt(registration_certified, office):
    Client().post(receipt_link(registration_certified))
    with time_machine.travel(timezone.now() + datetime.timedelta(days=30)):
        run_worker()
    assert not OutboundEmail.objects.filter(template="receipt_reminder").exists()


def test_the_coordinator_closes_only_after_the_reminder_period(
    registration_certified, coordinator, office, verifier_client
):
    client = login(Client(), coordinator)
    url = reverse("staff_close", args=[registration_certified.code])
    client.post(url, {"note": "Tidak ada jawaban"})
    registration_certified.refresh_from_db()
    assert registration_certified.status == "certificate_sent"
    days = CertificateSettings.objects.get(office=office).receipt_reminder_days
    outcome.receipt_reminder_send(registration_code=str(registration_certified.code))
    with time_machine.travel(timezone.now() + datetime.timedelta(days=days, minutes=1)):
        assert verifier_client.post(url, {"note": "x"}).status_code == 403
        client.post(url, {"note": ""})
        registration_certified.refresh_from_db()
        assert registration_certified.status == "certificate_sent"
        login(client, coordinator)
        client.post(url, {"note": "Tidak ada jawaban setelah diingatkan"})
    registration_certified.refresh_from_db()
    assert registration_certified.status == "completed"
    event = AuditEvent.objects.get(action="registration.confirm_receipt")
    assert event.actor == coordinator
    assert event.details["note"] == "Tidak ada jawaban setelah diingatkan"


def test_after_a_revocation_the_coordinator_issues_a_corrected_certificate(
    registration_certified, coordinator, verifier_client
):
    from verifikasi.certificates.services import certificate_revoke

    first = Certificate.objects.get(registration=registration_certified)
    certificate_revoke(
        reason_category="data_error",
        certificate=first, actor=coordinator, reason="Nama perusahaan salah")
    url = reverse("staff_reissue", args=[registration_certified.code])
    assert verifier_client.post(url).status_code == 403
    client = login(Client(), coordinator)
    assert client.post(url).status_code == 302
    current = Certificate.objects.get(registration=registration_certified, revoked_at__isnull=True)
    assert current.number != first.number
    assert OutboundEmail.objects.filter(template="certificate_issued").count() == 2
    assert client.post(url).status_code == 403  # a valid one exists: refused
    assert Certificate.objects.filter(registration=registration_certified).count() == 2
