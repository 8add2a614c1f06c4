from datetime import UTC, datetime

from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.adapter import DefaultMFAAdapter, get_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib.auth import logout
from django.db import connections, router
from django.shortcuts import redirect
from django.urls import get_script_prefix, get_urlconf, reverse

# What a staff member without 2FA may still reach (issue 13): setting up TOTP
# (with the password prompt allauth asks for first when the login is old), and
# logging out. Besides those, only what shows no data: the language switch,
# static files and the health check. Every other page, the other account pages
# (e.g. /akun/email/) included, sends them to the TOTP setup.
SETUP_URL_NAMES = ("mfa_activate_totp", "account_reauthenticate", "account_logout")
OPEN_PREFIXES = ("/i18n/", "/static/", "/healthz")


_SETUP_PATHS: dict[tuple, frozenset[str]] = {}


def _setup_paths() -> frozenset[str]:
    """SETUP_URL_NAMES' addresses, reversed once per address prefix and URLconf."""
    key = (get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)
    paths = _SETUP_PATHS.get(key)
    if paths is None:
        paths = _SETUP_PATHS[key] = frozenset(reverse(n) for n in SETUP_URL_NAMES)
    return paths


def _is_open(path: str) -> bool:
    return path.startswith(OPEN_PREFIXES) or path in _setup_paths()


_HAS_AUTHENTICATOR = (
    f'SELECT 1 AS "a" FROM "{Authenticator._meta.db_table}" '  # noqa: S608 - the model's table
    'WHERE "user_id" = %s LIMIT 1')


def _has_mfa(user) -> bool:
    """allauth's ``is_mfa_enabled(user)``: the same query, its SQL written once rather
    than built and compiled by the ORM on every staff request (issue 16); a project
    adapter that decides otherwise is asked instead."""
    if type(get_adapter()).is_mfa_enabled is not DefaultMFAAdapter.is_mfa_enabled:
        return is_mfa_enabled(user)
    with connections[router.db_for_read(Authenticator)].cursor() as cursor:
        cursor.execute(_HAS_AUTHENTICATOR, [user.pk])
        return cursor.fetchone() is not None


def _passed_second_factor(request, user) -> bool:
    """This session entered a TOTP code: at login, or by setting TOTP up in this session
    (activation itself requires a valid code)."""
    methods = get_authentication_records(request, user)
    if any(m.get("method") == "mfa" for m in methods):
        return True
    started = min((m.get("at", 0) for m in methods), default=None)
    return started is not None and Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP,
        created_at__gte=datetime.fromtimestamp(started, tz=UTC)).exists()


class StaffTwoFactorMiddleware:
    """Staff must use TOTP: without it they are sent to set it up first.

    This runs before any view, so no vendor data is shown to a staff session
    that has only a password behind it. A staff session that did not pass the
    second factor (a login that bypassed allauth's flow) is ended.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.is_office_staff
            and not _is_open(request.path)
        ):
            if not _has_mfa(user):
                return redirect(reverse("mfa_activate_totp"))
            if not _passed_second_factor(request, user):
                logout(request)
                return redirect(f"{reverse('account_login')}?next={request.path}")
        return self.get_response(request)
