"""Password reset: the link arrives by email through SMTP and sets a new password."""

from urllib.parse import urlsplit

from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.notifications import run_worker

NEW_PASSWORD = "Kata-Sandi-Baru-2025!"


def request_reset(client, email):
    return client.post(reverse("account_reset_password"), {"email": email})


def log_in(email, password):
    client = Client()
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    return client, response


def test_it_resets_the_password_from_the_emailed_link(client, vendor, smtp_server):
    response = request_reset(client, vendor.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert smtp_server.messages == []

    run_worker()

    [received] = smtp_server.to(vendor.email)
    assert received["Subject"] == "Atur ulang kata sandi — LPSE Kab. Ketapang"
    assert "Salam dari LPSE Kabupaten Ketapang" in received.text
    assert "Buka tautan berikut untuk membuat kata sandi baru" in received.text
    links = [link for link in received.links() if "/akun/password/reset/key/" in link]
    assert len(links) == 1, received.text
    assert f'href="{links[0]}"' in received.html

    # allauth moves the key from the URL into the session, then shows the form.
    page = client.get(urlsplit(links[0]).path, follow=True)
    assert page.status_code == 200
    form_path = page.redirect_chain[-1][0] if page.redirect_chain else urlsplit(links[0]).path
    response = client.post(form_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_from_key_done")

    vendor.refresh_from_db()
    assert vendor.check_password(NEW_PASSWORD)
    new_client, response = log_in(vendor.email, NEW_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert new_client.session[SESSION_KEY] == str(vendor.pk)
    home = new_client.get(reverse("home"), follow=True)  # a vendor's start page may redirect
    assert home.status_code == 200
    assert home.wsgi_request.user == vendor

    old_client, response = log_in(vendor.email, PASSWORD)
    assert response.status_code == 200  # the form again, with an error
    assert SESSION_KEY not in old_client.session


def test_it_refuses_a_reset_link_that_was_already_used(client, vendor, smtp_server):
    request_reset(client, vendor.email)
    run_worker()
    [received] = smtp_server.to(vendor.email)
    path = urlsplit(
        next(link for link in received.links() if "/akun/password/reset/key/" in link)
    ).path
    form_path = client.get(path, follow=True).redirect_chain[-1][0]
    client.post(form_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    other = Client()
    again = other.get(path, follow=True)
    other.post(path, {"password1": "Lain-Lagi-2025!", "password2": "Lain-Lagi-2025!"})

    assert again.status_code == 200
    assert again.context["token_fail"] is True
    vendor.refresh_from_db()
    assert vendor.check_password(NEW_PASSWORD)


def test_it_answers_an_unknown_address_like_a_known_one_without_a_reset_link(
    client, office, smtp_server
):
    unknown = "tidak.terdaftar@contoh.test"
    response = request_reset(client, unknown)

    # Same answer as for a real account, so the form does not reveal who is registered.
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    run_worker()
    [received] = smtp_server.to(unknown)
    assert "/akun/password/reset/key/" not in received.text
    assert "http://testserver/akun/signup/" in received.text
    assert "Salam dari LPSE Kabupaten Ketapang" in received.text
