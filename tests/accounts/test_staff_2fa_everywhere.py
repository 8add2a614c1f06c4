"""Staff who have not set up TOTP reach nothing but the TOTP setup and logout (issue 13).

The URL list is enumerated from the project's URLconf (every app, allauth's
account pages and /admin), so a page added later is covered without editing
this test.
"""

import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter, UUIDConverter
from django.urls.resolvers import RoutePattern

from tests.conftest import login

SETUP = "/akun/2fa/totp/activate/"
REACHABLE = {SETUP, "/akun/reauthenticate/", "/akun/logout/"}
# Show no data: the language switch, static files, the health check.
OPEN_PREFIXES = ("/i18n/", "/static/", "/healthz")


def _sample(converter) -> str:
    if isinstance(converter, UUIDConverter):
        return str(uuid.UUID(int=7))
    if isinstance(converter, IntConverter):
        return "1"
    return "x"


def _route(pattern) -> str | None:
    """A concrete path segment for a route; None for a regex we cannot fill in."""
    if isinstance(pattern, RoutePattern):
        return re.sub(r"<(?:\w+:)?(\w+)>",
                      lambda m: _sample(pattern.converters.get(m[1])), pattern._route)
    regex = pattern.regex.pattern.lstrip("^").rstrip("$").replace("\\Z", "")
    if regex.startswith("(?P<app_label>"):  # the admin's app index
        return regex[regex.index(">") + 1:].split("|")[0].lstrip("(") + "/"
    if any(c in regex for c in "()[]*+?\\|"):
        return None
    return regex


def enumerate_paths(patterns=None, prefix="/") -> set[str]:
    paths = set()
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        segment = _route(entry.pattern)
        if segment is None:
            continue
        if isinstance(entry, URLResolver):
            paths |= enumerate_paths(entry.url_patterns, prefix + segment)
        elif isinstance(entry, URLPattern):
            paths.add(prefix + segment)
    return paths


PATHS = sorted(enumerate_paths())


def test_the_enumeration_finds_every_part_of_the_site():
    for part in ("/beranda/", "/verifikator/", "/pendaftaran/", "/jadwal/", "/staf/kotak-keluar/",
                 "/akun/email/", "/akun/password/change/", "/admin/", "/cek/"):
        assert any(p.startswith(part) for p in PATHS), part
    assert len(PATHS) > 80


@pytest.mark.parametrize("path", [p for p in PATHS
                                  if p not in REACHABLE and not p.startswith(OPEN_PREFIXES)])
@pytest.mark.parametrize("method", ["get", "post"])
def test_every_other_page_sends_staff_without_totp_to_the_setup(
    client, verifier_without_2fa, path, method
):
    login(client, verifier_without_2fa)

    response = getattr(client, method)(path)

    assert response.status_code == 302, path
    assert response["Location"] == SETUP


def test_the_account_email_page_is_closed_to_them(client, verifier_without_2fa):
    login(client, verifier_without_2fa)

    response = client.post("/akun/email/", {"email": "lain@luar.test", "action_add": ""})

    assert response["Location"] == SETUP
    assert not verifier_without_2fa.emailaddress_set.filter(email="lain@luar.test").exists()


@pytest.mark.parametrize("path", sorted(REACHABLE))
def test_the_setup_and_logout_stay_reachable(client, verifier_without_2fa, path):
    login(client, verifier_without_2fa)

    response = client.get(path)

    assert response.status_code in (200, 302)
    assert response.get("Location") != SETUP


def test_staff_with_totp_still_reach_their_account_pages(verifier_client):
    assert verifier_client.get("/akun/email/").status_code == 200
