"""Logins are rate-limited (DESIGN: security baseline) in the shared database cache.

pytest-env sets LOGIN_RATE_LIMIT high so ordinary tests never trip it; these
tests lower allauth's limits per test. allauth reads ACCOUNT_RATE_LIMITS
(``allauth.account.app_settings.RATE_LIMITS`` is a property) on each request,
so the ``settings`` fixture override takes effect.

allauth answers the two limits differently: too many *failed* logins
(``login_failed``) is a form error on the login page (HTTP 200, nobody is logged
in, even with the right password); too many login *requests* (``login``) is
its 429 response.
"""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD

WRONG = "bukan-kata-sandinya"
TOO_MANY = "Terlalu banyak percobaan masuk yang gagal. Coba lagi nanti."


@pytest.fixture
def three_failures_per_ip(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/5m/ip"}


def attempt(email, password, client=None):
    """One login POST from a fresh browser (same IP, 127.0.0.1): the limit must
    hold across sessions, as it does across gunicorn workers."""
    client = client or Client()
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    return client, response


def error_codes(response) -> list[str]:
    return [e.code for e in response.context["form"].errors.as_data().get("__all__", [])]


def test_it_uses_the_lowered_limit_in_this_test(three_failures_per_ip):
    from allauth.account import app_settings

    assert app_settings.RATE_LIMITS["login_failed"] == "3/5m/ip"


def test_it_refuses_the_fourth_failed_login_even_with_the_right_password(
    three_failures_per_ip, vendor
):
    for _ in range(3):
        client, response = attempt(vendor.email, WRONG)
        assert response.status_code == 200
        assert error_codes(response) == ["email_password_mismatch"]

    client, fourth = attempt(vendor.email, WRONG)
    assert fourth.status_code == 200
    assert error_codes(fourth) == ["too_many_login_attempts"]
    assert TOO_MANY in fourth.text

    client, right = attempt(vendor.email, PASSWORD)
    assert right.status_code == 200
    assert error_codes(right) == ["too_many_login_attempts"]
    assert TOO_MANY in right.text
    assert SESSION_KEY not in client.session
    assert client.get(reverse("home")).status_code == 302


def test_it_counts_failures_per_ip_across_accounts(three_failures_per_ip, vendor, other_vendor):
    for _ in range(3):
        attempt(vendor.email, WRONG)

    client, response = attempt(other_vendor.email, PASSWORD)

    assert error_codes(response) == ["too_many_login_attempts"]
    assert SESSION_KEY not in client.session


def test_it_keeps_the_count_in_the_database_cache(three_failures_per_ip, vendor):
    def cache_rows():
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM verifikasi_cache")
            return cursor.fetchone()[0]

    before = cache_rows()
    attempt(vendor.email, WRONG)

    assert cache_rows() > before


def test_it_lets_the_right_password_in_once_the_window_has_passed(
    three_failures_per_ip, vendor
):
    for _ in range(4):
        attempt(vendor.email, WRONG)

    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=True):
        client, response = attempt(vendor.email, PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session[SESSION_KEY] == str(vendor.pk)


def test_it_does_not_count_successful_logins_as_failures(three_failures_per_ip, vendor):
    for _ in range(4):
        client, response = attempt(vendor.email, PASSWORD)
        assert response.status_code == 302

    client, response = attempt(vendor.email, WRONG)

    assert error_codes(response) == ["email_password_mismatch"]


def test_it_answers_429_to_too_many_login_requests(settings, vendor):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "3/5m/ip"}
    for _ in range(3):
        client, response = attempt(vendor.email, WRONG)
        assert response.status_code == 200

    client, response = attempt(vendor.email, PASSWORD)

    assert response.status_code == 429
    assert SESSION_KEY not in client.session
