"""CSRF strings from one read of the kernel's random source (issue 16).

Django makes every CSRF secret and every per-response mask with ``get_random_string(32)``,
which asks ``secrets.choice`` 32 times: 32 calls into ``SystemRandom``, each a read of
``os.urandom``. On the landing page, which a first-time visitor (the poster's QR code) opens
without a cookie, that is 64 reads per response: a fifth of the page's CPU time under
gunicorn (py-spy, 5 December 2026). The same source, read once: 48 random bytes, each
below 248 (= 4 x 62) mapped to one of the 62 allowed characters, so every character is
equally likely (rejection sampling; a byte of 248 or more is skipped, and more bytes are
read in the rare case fewer than 32 remain). The strings have the same alphabet, length
and entropy as Django's.

Installed by ``CoreConfig.ready`` over ``django.middleware.csrf._get_new_csrf_string``, the
one function Django's CSRF code asks for a new secret or mask;
``tests/core/test_csrf_tokens.py`` fails if a Django upgrade stops calling it.
"""

import os

from django.middleware import csrf

_CHARS = csrf.CSRF_ALLOWED_CHARS
_LIMIT = 256 - 256 % len(_CHARS)  # below it, byte % 62 is uniform


def new_csrf_string() -> str:
    chars: list[str] = []
    while len(chars) < csrf.CSRF_SECRET_LENGTH:
        chars.extend(_CHARS[byte % len(_CHARS)] for byte in os.urandom(48) if byte < _LIMIT)
    return "".join(chars[: csrf.CSRF_SECRET_LENGTH])


def install() -> None:
    csrf._get_new_csrf_string = new_csrf_string
