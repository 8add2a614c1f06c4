"""Vendor signup: the form, the verification email through SMTP, confirmation.

Spec B.1–B.3: a business actor registers with an email address and confirms it
before anything else; staff accounts are never made by signup.
"""

import re
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from tests.notifications import run_worker
from verifikasi.accounts.models import Role, User
from verifikasi.notifications.models import OutboundEmail

EMAIL = "direktur@cvbaru.test"
PASSWORD = "Rahasia-Perusahaan-2025"


def sign_up(client, **extra):
    return client.post(
        reverse("account_signup"),
        {"email": EMAIL, "password1": PASSWORD, "password2": PASSWORD, **extra},
    )


def confirmation_path(received) -> str:
    links = [link for link in received.links() if "/akun/" in link]
    assert len(links) == 1, received.text
    return urlsplit(links[0]).path


def test_it_creates_an_unverified_vendor(client, office):
    response = sign_up(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email=EMAIL)
    assert user.role == Role.VENDOR
    assert user.office is None
    assert user.check_password(PASSWORD)
    assert not EmailAddress.objects.get(user=user).verified


def test_it_ignores_a_staff_role_posted_at_signup(client, office):
    sign_up(client, role=Role.VERIFIER, office=office.pk, is_staff="on")

    user = User.objects.get(email=EMAIL)
    assert user.role == Role.VENDOR
    assert user.office is None
    assert not user.is_staff


def test_it_sends_an_indonesian_verification_email_through_smtp(client, office, smtp_server):
    sign_up(client)
    outbound = OutboundEmail.objects.get(to=[EMAIL])
    assert smtp_server.messages == []  # queued in the request, sent by the worker

    run_worker()

    [received] = smtp_server.to(EMAIL)
    assert received["X-Verifikasi-Email"] == str(outbound.code)
    assert received["Subject"] == "Konfirmasi alamat email Anda — LPSE Kab. Ketapang"
    assert received["Reply-To"] == "bpbj.verifikator@gmail.com"
    assert "Salam dari LPSE Kabupaten Ketapang" in received.text
    assert "Terima kasih telah mendaftar" in received.text
    assert "Tim Verifikator LPSE Kabupaten Ketapang" in received.text
    assert re.search(r"http://testserver/akun/confirm-email/\S+/", received.text)
    assert "LPSE Kabupaten Ketapang" in received.html
    assert "Please" not in received.text + received["Subject"]


def test_it_verifies_the_email_from_the_link_and_logs_the_vendor_in(
    client, office, smtp_server
):
    sign_up(client)
    run_worker()
    [received] = smtp_server.to(EMAIL)
    path = confirmation_path(received)

    # The link shows a confirm button (no change on GET: mail scanners follow links).
    page = client.get(path)
    assert page.status_code == 200
    assert not EmailAddress.objects.get(email=EMAIL).verified
    assert SESSION_KEY not in client.session  # not logged in yet

    response = client.post(path)

    assert response.status_code == 302
    assert EmailAddress.objects.get(email=EMAIL).verified
    assert client.session[SESSION_KEY] == str(User.objects.get(email=EMAIL).pk)
    home = client.get(reverse("home"), follow=True)  # a vendor's start page may redirect
    assert home.status_code == 200
    assert home.wsgi_request.user.email == EMAIL
    assert not home.redirect_chain or "/akun/" not in home.redirect_chain[-1][0]


def test_it_does_not_let_an_unverified_vendor_in(client, office, smtp_server):
    sign_up(client)
    client.logout()

    response = client.post(reverse("account_login"), {"login": EMAIL, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert SESSION_KEY not in client.session
    home = client.get(reverse("home"))
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("account_login"))


def test_it_refuses_mismatched_passwords(client, office):
    response = sign_up(client, password2=PASSWORD + "x")

    assert response.status_code == 200
    assert not User.objects.filter(email=EMAIL).exists()
