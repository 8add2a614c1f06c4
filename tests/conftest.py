"""Fixtures every test file shares: an office, one user per role, logged-in clients.

Staff fixtures have TOTP enrolled (as real staff must); ``totp_code(user)``
gives their current code. ``run_worker()`` runs queued background tasks once,
as the real worker would.
"""

import time
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, hotp_value, yield_hotp_counters_from_time
from django.core.management import call_command

from verifikasi.accounts.models import Role, User
from verifikasi.offices.models import Office

pytest_plugins = ["tests.smtp"]

PASSWORD = "kata-sandi-uji-123"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # Real hashing is deliberately slow; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def private_storage(tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "verifikasi.core.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    return tmp_path / "private"


@pytest.fixture(autouse=True)
def fresh_public_pages():
    # Each web process keeps the pages strangers see (core.pagecache) and per-office
    # figures (the "local" cache); a test starts empty.
    from django.core.cache import caches

    caches["public_pages"].clear()
    caches["local"].clear()


@pytest.fixture(autouse=True)
def audit_anchor_file(tmp_path, settings):
    # The worker's upkeep appends the daily audit anchor here: one file per test.
    settings.AUDIT_ANCHOR_FILE = str(tmp_path / "audit-anchors.txt")
    return tmp_path / "audit-anchors.txt"


@pytest.fixture(scope="module")
def restore_seed_data(django_db_blocker):
    """Put the migrations' seed data (the office, Lampiran 1) back after a transactional
    test's flush, so transactional tests that run later in other apps find it as they would
    had this one not run. Module scope: it runs after the test's own flush."""
    yield
    from django.db import connection

    with django_db_blocker.unblock():
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents:
            connection.creation.deserialize_db_from_string(contents)


@pytest.fixture
def office(db):
    return Office.objects.get(code="ketapang")


@pytest.fixture
def other_office(db):
    return Office.objects.create(
        code="sambas", name="LPSE Kabupaten Sambas", short_name="LPSE Sambas",
        letterhead="PEMERINTAH KABUPATEN SAMBAS", reply_to_email="lpse@sambas.test",
        spse_url="https://lpse.sambas.test/",
    )


def make_user(email, role=Role.VENDOR, office=None, *, totp=False, **extra):
    user = User.objects.create_user(email, PASSWORD, role=role, office=office, **extra)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    if totp:
        TOTP.activate(user, TOTP_SECRET)
    return user


def totp_code() -> str:
    counter = next(yield_hotp_counters_from_time())
    return f"{hotp_value(TOTP_SECRET, counter):06d}"


@pytest.fixture
def vendor(db):
    return make_user("direktur@cvmaju.test", full_name="Budi Santoso")


@pytest.fixture
def other_vendor(db):
    return make_user("pemilik@ptlain.test", full_name="Siti Aminah")


@pytest.fixture
def verifier(office):
    return make_user("verifikator@lpse.test", Role.VERIFIER, office, totp=True,
                     full_name="Verifikator Satu")


@pytest.fixture
def coordinator(office):
    return make_user("ketua@lpse.test", Role.COORDINATOR, office, totp=True,
                     full_name="Ketua Tim")


@pytest.fixture
def admin_user(office):
    """The office's Admin LPSE: /admin for their own office, not a superuser."""
    return make_user("admin@lpse.test", Role.ADMIN, office, totp=True, is_staff=True,
                     full_name="Admin LPSE")


@pytest.fixture
def operator(office):
    """The platform operator: the only superuser (made by createsuperuser in real life)."""
    return make_user("operator@platform.test", Role.ADMIN, office, totp=True, is_staff=True,
                     is_superuser=True, full_name="Operator Platform")


@pytest.fixture
def verifier_without_2fa(office):
    return make_user("baru@lpse.test", Role.VERIFIER, office, full_name="Verifikator Baru")


def login(client, user):
    """Log ``user`` in as the real login flow would, second factor included.

    allauth records how a session was authenticated (and when, for its
    "reauthenticate before sensitive actions" rule); force_login bypasses the
    flow, so record it here: password, plus TOTP for users who have it.
    """
    client.force_login(user)
    now = time.time()
    methods = [{"method": "password", "at": now, "email": user.email, "reauthenticated": True}]
    if Authenticator.objects.filter(user=user).exists():
        methods.append({"method": "mfa", "at": now, "id": 0, "type": "totp"})
    session = client.session
    session["account_authentication_methods"] = methods
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client


# One logged-in client per role (vendor, verifier, coordinator, office admin).
@pytest.fixture
def vendor_client(client, vendor):
    return login(client, vendor)


@pytest.fixture
def verifier_client(client, verifier):
    return login(client, verifier)


@pytest.fixture
def coordinator_client(client, coordinator):
    return login(client, coordinator)


def run_worker():
    """Run every task that is due, then return (the real worker in batch mode).

    The worker's close_old_connections() would close the connection inside the
    test's transaction on PostgreSQL; Django's test client avoids it likewise.
    """
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def pytest_collection_modifyitems(config, items):
    """postgres_only tests (several concurrent connections) need PostgreSQL: on
    SQLite they are deselected, visibly, rather than skipped or failing."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    keep = [item for item in items if "postgres_only" not in item.keywords]
    dropped = [item for item in items if "postgres_only" in item.keywords]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


def assert_private_no_store(response):
    """A response with personal data may be kept by no browser cache and no proxy."""
    directives = {d.strip().lower() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives, response["Cache-Control"]
    assert "public" not in directives
    assert not any(d.startswith(("max-age=", "s-maxage=")) and d.split("=")[1] != "0"
                   for d in directives), response["Cache-Control"]


@pytest.fixture
def office_admin_client(admin_user):
    """The office's Admin LPSE (not a superuser: /admin shows only their office)."""
    from django.test import Client

    return login(Client(), admin_user)
