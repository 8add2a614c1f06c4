"""Secrets in the database are encrypted with a key that is not there (issue 13).

TOTP secrets and recovery-code seeds (allauth's MFA adapter) and the offices'
Zoom/Jitsi secrets are Fernet tokens; the raw columns hold no plain secret.
"""

import base64
import importlib
from types import SimpleNamespace

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from tests.conftest import PASSWORD, TOTP_SECRET, totp_code
from verifikasi.accounts.crypto import decrypt_text
from verifikasi.meetings.models import MeetingSettings, Provider

ZOOM_SECRET = "zoom-client-secret-XYZ123abc"
WEBHOOK_TOKEN = "webhook-token-QWE987"
JITSI_SECRET = "jitsi-app-secret-ASD456"
NEW_KEY = base64.urlsafe_b64encode(b"n" * 32).decode()


def raw(sql, *params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [str(value) for row in cursor.fetchall() for value in row]


def raw_authenticators():
    return " ".join(raw("SELECT data FROM mfa_authenticator"))


def raw_meeting_secrets():
    return " ".join(raw("SELECT zoom_client_secret, zoom_webhook_secret_token, jitsi_app_secret "
                        "FROM meetings_meetingsettings"))


@pytest.fixture
def zoom_settings(office):
    return MeetingSettings.objects.create(
        office=office, provider=Provider.ZOOM, zoom_account_id="acc", zoom_client_id="cid",
        zoom_client_secret=ZOOM_SECRET, zoom_webhook_secret_token=WEBHOOK_TOKEN,
        jitsi_app_id="app", jitsi_app_secret=JITSI_SECRET)


def test_the_totp_secret_column_holds_no_plain_secret(verifier):
    stored = raw_authenticators()

    assert TOTP_SECRET not in stored
    auth = Authenticator.objects.get(user=verifier, type=Authenticator.Type.TOTP)
    assert decrypt_text(auth.data["secret"]) == TOTP_SECRET


def test_the_recovery_code_seed_is_encrypted(verifier):
    codes = RecoveryCodes.activate(verifier)
    seed = decrypt_text(codes.instance.data["seed"])

    assert seed not in raw_authenticators()
    assert codes.validate_code(codes.get_unused_codes()[0])


def test_staff_still_log_in_with_the_encrypted_totp(client, verifier):
    client.post(reverse("account_login"), {"login": verifier.email, "password": PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})

    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_video_call_secrets_are_encrypted_in_their_columns(zoom_settings):
    stored = raw_meeting_secrets()

    for secret in (ZOOM_SECRET, WEBHOOK_TOKEN, JITSI_SECRET):
        assert secret not in stored
    fresh = MeetingSettings.objects.get(pk=zoom_settings.pk)
    assert (fresh.zoom_client_secret, fresh.zoom_webhook_secret_token,
            fresh.jitsi_app_secret) == (ZOOM_SECRET, WEBHOOK_TOKEN, JITSI_SECRET)


def test_an_empty_secret_stays_queryable_as_not_configured(office, zoom_settings):
    MeetingSettings.objects.filter(pk=zoom_settings.pk).update(zoom_webhook_secret_token="")

    assert not MeetingSettings.objects.exclude(zoom_webhook_secret_token="").exists()


def test_a_secret_made_with_an_unknown_key_is_a_clear_error(settings, zoom_settings):
    settings.ENCRYPTION_KEYS = [NEW_KEY]

    with pytest.raises(ImproperlyConfigured, match="ENCRYPTION_KEYS"):
        MeetingSettings.objects.get(pk=zoom_settings.pk)


def test_rotation_re_encrypts_everything_with_the_new_key(settings, verifier, zoom_settings):
    old_keys = list(settings.ENCRYPTION_KEYS)
    settings.ENCRYPTION_KEYS = [NEW_KEY, *old_keys]

    call_command("rotate_encryption_keys", verbosity=0)

    settings.ENCRYPTION_KEYS = [NEW_KEY]  # the old key is gone
    fresh = MeetingSettings.objects.get(pk=zoom_settings.pk)
    assert fresh.zoom_client_secret == ZOOM_SECRET
    assert fresh.jitsi_app_secret == JITSI_SECRET
    auth = Authenticator.objects.get(user=verifier, type=Authenticator.Type.TOTP)
    assert decrypt_text(auth.data["secret"]) == TOTP_SECRET


def _migration(app, name):
    return importlib.import_module(f"verifikasi.{app}.migrations.{name}")


# serialized_rollback: its flush must not recreate the content types under new ids (a
# later serialized_rollback test reloads the originals and would collide with them).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_encrypts_video_call_secrets_already_stored(office):
    executor = MigrationExecutor(connection)
    executor.migrate([("meetings", "0002_verification_call")])
    old_apps = executor.loader.project_state([("meetings", "0002_verification_call")]).apps
    OldSettings = old_apps.get_model("meetings", "MeetingSettings")
    OldSettings.objects.create(office_id=office.pk, provider="zoom",
                               zoom_client_secret=ZOOM_SECRET,
                               zoom_webhook_secret_token=WEBHOOK_TOKEN,
                               jitsi_app_secret=JITSI_SECRET)
    assert ZOOM_SECRET in raw_meeting_secrets()

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    stored = raw_meeting_secrets()
    assert ZOOM_SECRET not in stored and WEBHOOK_TOKEN not in stored
    assert JITSI_SECRET not in stored
    assert MeetingSettings.objects.get(office=office).zoom_client_secret == ZOOM_SECRET


def test_the_migration_encrypts_totp_secrets_already_stored(verifier):
    from django.apps import apps

    Authenticator.objects.filter(user=verifier).update(
        data={"secret": TOTP_SECRET})  # as allauth stored it before MFA_ADAPTER
    assert TOTP_SECRET in raw_authenticators()

    migration = _migration("accounts", "0002_encrypt_mfa_secrets")
    editor = SimpleNamespace(connection=connection)  # all RunPython uses of it
    migration.encrypt_existing(apps, editor)
    migration.encrypt_existing(apps, editor)  # idempotent

    assert TOTP_SECRET not in raw_authenticators()
    auth = Authenticator.objects.get(user=verifier)
    assert decrypt_text(auth.data["secret"]) == TOTP_SECRET
