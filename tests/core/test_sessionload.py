"""core.sessionload: the session and the user are read with precompiled SQL, with Django's
semantics unchanged — expiry, logout in another worker, a changed password, a deactivated
account, the fallback secret's rotation — and one query each."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD
from verifikasi.core.sessionload import AuthenticationMiddleware, SessionStore

pytestmark = pytest.mark.django_db


def who(client):
    response = client.get(reverse("vendor_home"))
    return response.status_code, response.get("Location", "")


def session_row(client):
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def test_the_settings_use_it():
    assert settings.SESSION_ENGINE == "verifikasi.core.sessionload"
    assert "verifikasi.core.sessionload.AuthenticationMiddleware" in settings.MIDDLEWARE
    assert "django.contrib.auth.middleware.AuthenticationMiddleware" not in settings.MIDDLEWARE
    assert issubclass(AuthenticationMiddleware,
                      __import__("django.contrib.auth.middleware", fromlist=["x"])
                      .AuthenticationMiddleware)


def test_one_query_each_for_the_session_and_the_user(vendor_client, vendor):
    assert who(vendor_client)[0] == 200
    with CaptureQueriesContext(connection) as queries:
        assert who(vendor_client)[0] == 200
    sqls = [q["sql"] for q in queries]
    assert len([s for s in sqls if 'FROM "django_session"' in s]) == 1
    assert len([s for s in sqls if 'FROM "accounts_user"' in s]) == 1


def test_an_expired_session_is_no_login(vendor_client):
    Session.objects.filter(pk=session_row(vendor_client).pk).update(
        expire_date=timezone.now() - timedelta(seconds=1))
    status, location = who(vendor_client)
    assert status == 302 and reverse("account_login") in location


def test_a_logout_elsewhere_ends_the_session_here(vendor_client):
    """Another worker deleted the row (logout there): this worker reads the row again."""
    assert who(vendor_client)[0] == 200
    session_row(vendor_client).delete()
    status, location = who(vendor_client)
    assert status == 302 and reverse("account_login") in location


def test_a_changed_password_flushes_the_session(vendor_client, vendor):
    assert who(vendor_client)[0] == 200
    vendor.set_password(PASSWORD + "-baru")
    vendor.save()
    status, location = who(vendor_client)
    assert status == 302 and reverse("account_login") in location


def test_a_deactivated_account_is_no_login(vendor_client, vendor):
    assert who(vendor_client)[0] == 200
    vendor.is_active = False
    vendor.save()
    status, location = who(vendor_client)
    assert status == 302 and reverse("account_login") in location


def test_a_session_from_the_previous_secret_is_rotated(vendor_client, vendor, settings):
    """SECRET_KEY_FALLBACKS: the old hash still counts once and is replaced by the new."""
    old_key = settings.SECRET_KEY
    store = SessionStore(session_key=session_row(vendor_client).session_key)
    old_hash = store[HASH_SESSION_KEY]
    settings.SECRET_KEY = old_key + "-rotated"
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert who(vendor_client)[0] == 200
    rotated = SessionStore(session_key=vendor_client.cookies[settings.SESSION_COOKIE_NAME].value)
    assert rotated[HASH_SESSION_KEY] == vendor.get_session_auth_hash() != old_hash


def test_an_unknown_session_key_is_anonymous(client):
    client.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32
    status, location = who(client)
    assert status == 302 and reverse("account_login") in location
    assert SessionStore(session_key="x" * 32).load() == {}
