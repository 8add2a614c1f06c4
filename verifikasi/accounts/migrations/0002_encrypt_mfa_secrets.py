"""TOTP secrets and recovery-code seeds are stored encrypted (issue 13).

allauth stored them as entered until MFA_ADAPTER encrypted them; this encrypts
the rows already there with the current ENCRYPTION_KEYS. Values that are
already tokens are left alone, so it is safe to run again.
"""

from django.db import migrations

# The parts of Authenticator.data that are secrets, per type.
SECRET_KEYS = {"totp": ("secret",), "recovery_codes": ("seed",)}


def _convert(apps, schema_editor, *, encrypt: bool):
    from verifikasi.accounts.crypto import decrypt_text, encrypt_text, is_encrypted

    Authenticator = apps.get_model("mfa", "Authenticator")
    db = schema_editor.connection.alias
    for auth in Authenticator.objects.using(db).filter(type__in=SECRET_KEYS):
        data = dict(auth.data)
        for key in SECRET_KEYS[auth.type]:
            value = data.get(key)
            if value and is_encrypted(value) != encrypt:
                data[key] = encrypt_text(value) if encrypt else decrypt_text(value)
        codes = data.get("migrated_codes")
        if auth.type == "recovery_codes" and codes:
            data["migrated_codes"] = [
                (encrypt_text(c) if encrypt else decrypt_text(c))
                if is_encrypted(c) != encrypt else c
                for c in codes
            ]
        if data != auth.data:
            Authenticator.objects.using(db).filter(pk=auth.pk).update(data=data)


def encrypt_existing(apps, schema_editor):
    _convert(apps, schema_editor, encrypt=True)


def decrypt_existing(apps, schema_editor):
    _convert(apps, schema_editor, encrypt=False)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]
