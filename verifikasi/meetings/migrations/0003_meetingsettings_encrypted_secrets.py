"""Zoom and Jitsi secrets are stored encrypted (issue 13).

The columns become text (a Fernet token is longer than the secret), the rows
already there are encrypted with the current ENCRYPTION_KEYS, then the fields
become EncryptedTextField (no further change to the database). Values that are
already tokens are left alone, so the migration can be run again safely.
"""

from django.db import migrations, models

import verifikasi.accounts.crypto

SECRET_FIELDS = ("zoom_client_secret", "zoom_webhook_secret_token", "jitsi_app_secret")


def encrypt_existing(apps, schema_editor):
    from verifikasi.accounts.crypto import encrypt_text, is_encrypted

    MeetingSettings = apps.get_model("meetings", "MeetingSettings")
    for row in MeetingSettings.objects.using(schema_editor.connection.alias).all():
        changed = {}
        for name in SECRET_FIELDS:
            value = getattr(row, name)
            if value and not is_encrypted(value):
                changed[name] = encrypt_text(value)
        if changed:
            MeetingSettings.objects.using(schema_editor.connection.alias).filter(
                pk=row.pk).update(**changed)


def decrypt_existing(apps, schema_editor):
    from verifikasi.accounts.crypto import decrypt_text, is_encrypted

    MeetingSettings = apps.get_model("meetings", "MeetingSettings")
    for row in MeetingSettings.objects.using(schema_editor.connection.alias).all():
        changed = {name: decrypt_text(getattr(row, name)) for name in SECRET_FIELDS
                   if getattr(row, name) and is_encrypted(getattr(row, name))}
        if changed:
            MeetingSettings.objects.using(schema_editor.connection.alias).filter(
                pk=row.pk).update(**changed)


def _plain(name, label, help_text=""):
    return migrations.AlterField(
        model_name="meetingsettings", name=name,
        field=models.TextField(blank=True, max_length=200, verbose_name=label,
                               help_text=help_text),
    )


def _encrypted(name, label, help_text=""):
    return migrations.AlterField(
        model_name="meetingsettings", name=name,
        field=verifikasi.accounts.crypto.EncryptedTextField(
            blank=True, max_length=200, verbose_name=label, help_text=help_text),
    )


WEBHOOK_HELP = "Dari halaman Feature aplikasi Zoom; memverifikasi tanda tangan webhook."
JITSI_HELP = "Isi hanya untuk server Jitsi sendiri dengan autentikasi token (JWT)."


class Migration(migrations.Migration):

    dependencies = [
        ("meetings", "0002_verification_call"),
    ]

    operations = [
        _plain("zoom_client_secret", "Zoom Client Secret"),
        _plain("zoom_webhook_secret_token", "Zoom webhook secret token", WEBHOOK_HELP),
        _plain("jitsi_app_secret", "Jitsi app secret", JITSI_HELP),
        migrations.RunPython(encrypt_existing, decrypt_existing),
        _encrypted("zoom_client_secret", "Zoom Client Secret"),
        _encrypted("zoom_webhook_secret_token", "Zoom webhook secret token", WEBHOOK_HELP),
        _encrypted("jitsi_app_secret", "Jitsi app secret", JITSI_HELP),
    ]
