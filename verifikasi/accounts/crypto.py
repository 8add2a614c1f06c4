"""Secrets stored in the database are encrypted with keys that are not (issue 13).

TOTP and recovery-code seeds (through ``MFAAdapter``) and the offices' Zoom and
Jitsi credentials (``EncryptedTextField``) are Fernet tokens made with the first
of ``settings.ENCRYPTION_KEYS``; every listed key can decrypt, which is how a
key is rotated: put the new key first, run ``manage.py rotate_encryption_keys``,
then drop the old one (docs/operations.md).

This lives in accounts, the lowest layer that needs it, so every app may use it.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

ERR_UNDECRYPTABLE = (
    "A stored secret cannot be decrypted with any key in ENCRYPTION_KEYS: the key it was "
    "encrypted with is missing (restore it, or put it back after the new key)."
)


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.ENCRYPTION_KEYS))


def encrypt_text(text: str) -> str:
    return fernet().encrypt(text.encode()).decode()


def decrypt_text(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(ERR_UNDECRYPTABLE) from None


def is_encrypted(value: str) -> bool:
    """True when ``value`` is a token one of our keys made (used by migrations)."""
    try:
        fernet().decrypt(value.encode())
    except InvalidToken:
        return False
    return True


def rotate_text(token: str) -> str:
    """The same secret, encrypted again with the newest key."""
    return fernet().rotate(token.encode()).decode()


class EncryptedTextField(models.TextField):
    """A text secret kept encrypted in its column; Python code sees the plain text.

    An empty value stays empty (so "not configured" can still be queried);
    anything else is stored as a Fernet token, which is randomised: the field
    cannot be searched or compared in SQL. ``max_length`` limits the plain
    text, in forms and validation.
    """

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return decrypt_text(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return encrypt_text(value)

    def formfield(self, **kwargs):
        # A single-line input, as the CharField it replaces had.
        return super().formfield(**{"widget": forms.TextInput, **kwargs})
