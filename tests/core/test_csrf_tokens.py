"""CSRF strings from one read of os.urandom (core/csrf_tokens.py): same alphabet, length and
uniformity as Django's, and Django's CSRF code really uses them."""

import inspect
import re
from collections import Counter

import pytest
from django.middleware import csrf

from verifikasi.core.csrf_tokens import new_csrf_string


def test_installed_where_django_asks_for_a_new_secret_or_mask():
    assert csrf._get_new_csrf_string is new_csrf_string
    # If an upgrade of Django stops going through this function, the patch is silently
    # dead: fail here instead.
    assert "_get_new_csrf_string()" in inspect.getsource(csrf._mask_cipher_secret)
    assert "_get_new_csrf_string()" in inspect.getsource(csrf._add_new_csrf_cookie)


def test_strings_have_django_alphabet_and_length_and_differ():
    strings = [new_csrf_string() for _ in range(2000)]
    assert all(len(s) == csrf.CSRF_SECRET_LENGTH for s in strings)
    assert all(set(s) <= set(csrf.CSRF_ALLOWED_CHARS) for s in strings)
    assert len(set(strings)) == len(strings)


def test_every_character_equally_likely():
    counts = Counter("".join(new_csrf_string() for _ in range(4000)))  # 128,000 characters
    assert set(counts) == set(csrf.CSRF_ALLOWED_CHARS)
    expected = sum(counts.values()) / len(csrf.CSRF_ALLOWED_CHARS)
    chi2 = sum((n - expected) ** 2 / expected for n in counts.values())
    # 61 degrees of freedom: 100.9 is the 0.1 % critical value. A modulo bias toward the
    # first 8 characters (bytes 248-255 not skipped) gives about 1,100 here.
    assert chi2 < 100.9, chi2


@pytest.mark.django_db
def test_a_token_from_a_page_is_accepted_on_post(client):
    page = client.get("/akun/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    assert len(token) == csrf.CSRF_TOKEN_LENGTH
    assert csrf._unmask_cipher_token(token) == client.cookies["csrftoken"].value
    client.handler.enforce_csrf_checks = True
    response = client.post("/akun/login/", {"login": "x@example.com", "password": "salah",
                                            "csrfmiddlewaretoken": token})
    assert response.status_code == 200  # the form's answer, not 403
    forged = client.post("/akun/login/", {"login": "x@example.com", "password": "salah",
                                          "csrfmiddlewaretoken": "a" * 64})
    assert forged.status_code == 403
