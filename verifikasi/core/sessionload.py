"""Loading the session and the logged-in person with precompiled SQL (core.prepared).

Every page a person opens logged in reads its session row and its user row. Django builds
and compiles both querysets again on each request, which costs more than the two queries
themselves; here they are compiled once per connection and thread. Semantics are Django's,
unchanged: the session row must not have expired (``expire_date > now``, the row in the
database, so a logout in another worker counts at once); the user must still be active, and
the session's auth hash must match the password (else the session is flushed), with the
fallback secrets' rotation as in ``django.contrib.auth.get_user``.

Settings: ``SESSION_ENGINE = "verifikasi.core.sessionload"`` and
``verifikasi.core.sessionload.AuthenticationMiddleware`` in place of Django's.
"""

import logging
from datetime import datetime

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    get_user_model,
    load_backend,
)
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware as _DjangoAuthMiddleware
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from .prepared import Prepared


def _session_query(session_key, now):
    # The same queryset as db.SessionStore._get_session_from_db's .get() (LIMIT 21 included).
    return Session.objects.filter(session_key=session_key, expire_date__gt=now)[:21]


def _user_query(pk):
    model = get_user_model()
    qs = model._default_manager.filter(pk=pk)
    if any(f.name == "office" and f.is_relation for f in model._meta.concrete_fields):
        # With the person's office: staff pages read it on every request (a vendor has none).
        qs = qs.select_related("office")
    return qs[:21]


_session_row = Prepared(_session_query, session_key=str, now=datetime)
_user_row = Prepared(_user_query, pk=int)


class SessionStore(db.SessionStore):
    """Django's database session store; only the load's query is precompiled."""

    def _get_session_from_db(self):
        if self.model is not Session:  # a subclass with its own model: Django's path
            return super()._get_session_from_db()
        try:
            key = self.session_key
            if not isinstance(key, str):
                raise Session.DoesNotExist
            rows = _session_row(session_key=key, now=timezone.now())
            if not rows:
                raise Session.DoesNotExist
            if len(rows) > 1:  # session_key is the primary key: never; as .get() would
                raise Session.MultipleObjectsReturned
            return rows[0]
        except (Session.DoesNotExist, SuspiciousOperation) as e:
            if isinstance(e, SuspiciousOperation):
                logger = logging.getLogger(f"django.security.{e.__class__.__name__}")
                logger.warning(str(e))
            self._session_key = None


def _backend_user(backend, user_id):
    """``backend.get_user(user_id)``, precompiled when it is ModelBackend's own."""
    if type(backend).get_user is not ModelBackend.get_user or not isinstance(user_id, int):
        return backend.get_user(user_id)
    rows = _user_row(pk=user_id)
    if len(rows) != 1:
        return None
    user = rows[0]
    return user if backend.user_can_authenticate(user) else None


def get_user(request):
    """``django.contrib.auth.get_user`` with the user row read by ``_backend_user``."""
    user = None
    try:
        user_id = auth._get_user_session_key(request)
        backend_path = request.session[BACKEND_SESSION_KEY]
    except KeyError:
        pass
    else:
        if backend_path in settings.AUTHENTICATION_BACKENDS:
            backend = load_backend(backend_path)
            user = _backend_user(backend, user_id)
            # Verify the session
            if hasattr(user, "get_session_auth_hash"):
                session_hash = request.session.get(HASH_SESSION_KEY)
                if not session_hash:
                    session_hash_verified = False
                else:
                    session_auth_hash = user.get_session_auth_hash()
                    session_hash_verified = constant_time_compare(
                        session_hash, session_auth_hash)
                if not session_hash_verified:
                    if session_hash and any(
                        constant_time_compare(session_hash, fallback_auth_hash)
                        for fallback_auth_hash in user.get_session_auth_fallback_hash()
                    ):
                        request.session.cycle_key()
                        request.session[HASH_SESSION_KEY] = session_auth_hash
                    else:
                        request.session.flush()
                        user = None
    return user or AnonymousUser()


def _cached_user(request):
    if not hasattr(request, "_cached_user"):
        request._cached_user = get_user(request)
    return request._cached_user


class AuthenticationMiddleware(_DjangoAuthMiddleware):
    """Django's AuthenticationMiddleware (``request.auser`` included) with ``get_user`` above."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _cached_user(request))
