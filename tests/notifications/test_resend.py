"""Resending an email that failed for good: the service and the admin action."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import login
from tests.notifications import queue_test_email, run_worker, run_worker_until_failed
from verifikasi.core.models import AuditEvent
from verifikasi.notifications.models import EmailStatus, OutboundEmail
from verifikasi.notifications.services import email_resend

CHANGELIST = "admin:notifications_outboundemail_changelist"


@pytest.fixture
def failed_email(smtp_server, office):
    """A message that used every attempt while the server was down; the server is up again."""
    smtp_server.stop()
    email = queue_test_email(office)
    run_worker_until_failed(email)
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED
    smtp_server.start()
    return email


@pytest.fixture
def office_admin_client(admin_user):
    return login(Client(), admin_user)


def test_it_resends_a_failed_email_once(failed_email, smtp_server, admin_user):
    assert email_resend(email=failed_email, actor=admin_user) is True

    failed_email.refresh_from_db()
    assert failed_email.status == EmailStatus.QUEUED
    assert failed_email.attempts == 0
    event = AuditEvent.objects.get(action="email.resent", object_id=str(failed_email.code))
    assert event.actor == admin_user

    run_worker()
    run_worker()

    assert len(smtp_server.for_email(failed_email)) == 1
    assert len(smtp_server.messages) == 1
    failed_email.refresh_from_db()
    assert failed_email.status == EmailStatus.SENT
    assert failed_email.attempts == 1


def test_it_resends_from_the_admin_changelist_action(
    failed_email, smtp_server, office_admin_client
):
    response = office_admin_client.post(
        reverse(CHANGELIST),
        {"action": "resend", ACTION_CHECKBOX_NAME: [failed_email.pk], "index": 0},
    )

    assert response.status_code == 302
    failed_email.refresh_from_db()
    assert failed_email.status == EmailStatus.QUEUED
    assert AuditEvent.objects.filter(
        action="email.resent", object_id=str(failed_email.code), actor_email="admin@lpse.test"
    ).exists()
    messages = [str(m) for m in office_admin_client.get(response["Location"]).context["messages"]]
    assert "1 email dimasukkan kembali ke antrean." in messages

    run_worker()
    run_worker()

    assert len(smtp_server.for_email(failed_email)) == 1
    failed_email.refresh_from_db()
    assert failed_email.status == EmailStatus.SENT


def test_it_does_not_resend_a_message_being_sent(smtp_server, office, admin_user):
    email = queue_test_email(office)
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.SENDING, attempts=1, last_attempt_at=timezone.now()
    )

    assert email_resend(email=email, actor=admin_user) is False

    email.refresh_from_db()
    assert email.status == EmailStatus.SENDING
    assert email.attempts == 1
    assert not AuditEvent.objects.filter(action="email.resent").exists()


def test_it_leaves_a_message_being_sent_alone_in_the_admin_action(
    smtp_server, office, office_admin_client
):
    email = queue_test_email(office)
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.SENDING, attempts=1, last_attempt_at=timezone.now()
    )

    response = office_admin_client.post(
        reverse(CHANGELIST), {"action": "resend", ACTION_CHECKBOX_NAME: [email.pk], "index": 0}
    )

    assert response.status_code == 302
    email.refresh_from_db()
    assert email.status == EmailStatus.SENDING
    assert email.attempts == 1
    assert not AuditEvent.objects.filter(action="email.resent").exists()


def test_it_refuses_the_admin_action_to_non_admin_staff(failed_email, verifier_client):
    response = verifier_client.post(
        reverse(CHANGELIST),
        {"action": "resend", ACTION_CHECKBOX_NAME: [failed_email.pk], "index": 0},
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    failed_email.refresh_from_db()
    assert failed_email.status == EmailStatus.FAILED
