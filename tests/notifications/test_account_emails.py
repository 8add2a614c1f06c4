"""Account emails (address confirmation, password reset, MFA notices) are never
readable by staff: the outbox shows that one was sent, not its text or links,
and the text is deleted once delivered (issue 13, "what staff must not read")."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import login
from tests.notifications import queue_test_email, run_worker
from verifikasi.notifications.models import EmailStatus, OutboundEmail
from verifikasi.notifications.services import email_queue, email_resend

RESET_PATH = "/akun/password/reset/key/"


@pytest.fixture
def demo(settings):
    settings.DEMO_MODE = True


@pytest.fixture
def reset_email(client, vendor, smtp_server):
    client.post(reverse("account_reset_password"), {"email": vendor.email})
    email = OutboundEmail.objects.get(to=[vendor.email])
    assert RESET_PATH in email.body_text  # the link is there until delivery
    return email


@pytest.fixture
def office_admin_client(admin_user):
    return login(Client(), admin_user)


def test_it_marks_allauths_emails_as_account_emails(reset_email, office):
    assert reset_email.confidential is True
    assert queue_test_email(office).confidential is False


def test_it_shows_staff_that_a_reset_was_sent_but_not_its_link(demo, reset_email,
                                                               verifier_client):
    listing = verifier_client.get(reverse("outbox"))
    assert reset_email.subject in listing.text

    detail = verifier_client.get(reverse("outbox_detail", args=[reset_email.code]))

    assert detail.status_code == 200
    assert reset_email.to[0] in detail.text
    assert RESET_PATH not in detail.text
    assert "tidak ditampilkan" in detail.text


def test_it_still_shows_the_text_of_an_ordinary_email(demo, office, verifier_client):
    email = queue_test_email(office)

    detail = verifier_client.get(reverse("outbox_detail", args=[email.code]))

    assert "Yth. Budi Santoso," in detail.text


def test_the_admin_page_shows_neither_text_nor_link(reset_email, office_admin_client):
    page = office_admin_client.get(reverse("admin:notifications_outboundemail_change",
                                    args=[reset_email.pk]))

    assert page.status_code == 200
    assert reset_email.subject in page.text
    assert RESET_PATH not in page.text


def test_it_deletes_the_text_once_delivered(reset_email, vendor, smtp_server):
    run_worker()

    [received] = smtp_server.to(vendor.email)
    assert RESET_PATH in received.text  # the recipient got the link
    reset_email.refresh_from_db()
    assert reset_email.status == EmailStatus.SENT
    assert reset_email.body_text == "" and reset_email.body_html == ""
    assert reset_email.body_deleted_at is not None


def test_it_keeps_the_text_of_an_ordinary_email_after_delivery(office, smtp_server):
    email = queue_test_email(office)

    run_worker()

    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert "Budi Santoso" in email.body_text
    assert email.body_deleted_at is None


def test_it_refuses_to_resend_an_account_email_whose_text_is_gone(reset_email, admin_user,
                                                                  smtp_server):
    run_worker()
    reset_email.refresh_from_db()

    assert email_resend(email=reset_email, actor=admin_user) is False
    reset_email.refresh_from_db()
    assert reset_email.status == EmailStatus.SENT


def test_a_subject_is_plain_text(office):
    # An ampersand in a company name must not arrive as "&amp;" (issue 13).
    email = email_queue(template="appointment_proposed_staff", to="tim@lpse.test",
                        office=office,
                        context={"registration": {"company_name": "CV Maju & Jaya <Abadi>",
                                                  "code": uuid.uuid4()},
                                 "slots": []})

    assert email.subject == "Usulan jadwal verifikasi — CV Maju & Jaya <Abadi>"
