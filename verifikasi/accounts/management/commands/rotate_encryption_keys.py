from allauth.mfa.models import Authenticator
from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from verifikasi.accounts.crypto import EncryptedTextField, rotate_text

# The secret parts of allauth's Authenticator.data, per type (see the
# accounts migration that first encrypted them).
MFA_SECRET_KEYS = {"totp": ("secret",), "recovery_codes": ("seed",)}


def _rotate_authenticators() -> int:
    count = 0
    for auth in Authenticator.objects.select_for_update().filter(type__in=MFA_SECRET_KEYS):
        data = dict(auth.data)
        for key in MFA_SECRET_KEYS[auth.type]:
            if data.get(key):
                data[key] = rotate_text(data[key])
        if data.get("migrated_codes"):
            data["migrated_codes"] = [rotate_text(c) for c in data["migrated_codes"]]
        Authenticator.objects.filter(pk=auth.pk).update(data=data)
        count += 1
    return count


def _rotate_fields() -> int:
    count = 0
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields
                 if isinstance(f, EncryptedTextField)]
        if not names:
            continue
        for row in model._base_manager.select_for_update().only("pk", *names):
            # Read decrypts with any listed key; the update encrypts with the newest.
            model._base_manager.filter(pk=row.pk).update(
                **{name: getattr(row, name) for name in names})
            count += 1
    return count


class Command(BaseCommand):
    help = (
        "Re-encrypt every secret stored in the database with the first key of "
        "ENCRYPTION_KEYS. Rotation: put a new key first (keep the old one after it), "
        "restart, run this, then remove the old key and restart again."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            authenticators = _rotate_authenticators()
            rows = _rotate_fields()
        self.stdout.write(
            f"Re-encrypted with the newest key: {authenticators} two-factor authenticators, "
            f"{rows} rows with encrypted fields. The old key may now be removed."
        )
