"""The queue's results are kept per person until anything they show changes, or for the
rest of the minute (registrations.queue_memo, issue 16): a kept page is the page a fresh
build gives, a change shows on the next request, and nobody sees another's page."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import login, make_user
from tests.registrations.factories import make_registration
from verifikasi.accounts.models import Role
from verifikasi.registrations.models import Registration

TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+"')
URL = "/verifikator/"
NOON = datetime.datetime(2026, 12, 7, 5, 0, 10, tzinfo=datetime.UTC)  # a Monday, 12:00 WIB


def unmasked(html: str) -> str:
    """CSRF tokens are masked afresh for each use; any of them is valid."""
    return TOKEN.sub(r'\1"', html)


@pytest.fixture
def rows(vendor, office, verifier):
    made = []
    with time_machine.travel(NOON - datetime.timedelta(hours=3), tick=False):
        for n in range(8):
            made.append(make_registration(
                vendor, office, status="submitted", company_name=f"CV Simpan {n}",
                npwp=f"{n + 300:016d}", nib=f"{n + 300:013d}",
                assigned_to=verifier if n % 3 == 0 else None))
    return made


def page_queries(client, query=None):
    """The page's HTML and whether it read the registrations (built, not kept)."""
    with CaptureQueriesContext(connection) as seen:
        response = client.get(URL, query or {})
    assert response.status_code == 200
    built = any("registrations_registration" in q["sql"] for q in seen.captured_queries)
    return response.content.decode(), built


@time_machine.travel(NOON, tick=False)
def test_the_second_view_is_kept_and_is_the_page_a_fresh_build_gives(verifier_client, rows,
                                                                     settings):
    first, built = page_queries(verifier_client, {"status": "all"})
    assert built and "CV Simpan 7" in first
    kept, built = page_queries(verifier_client, {"status": "all"})
    assert not built
    assert unmasked(kept) == unmasked(first)
    assert TOKEN.findall(kept) and kept != first  # the request's own CSRF token
    settings.PERSONAL_PAGE_MEMO_SECONDS = 0
    fresh, built = page_queries(verifier_client, {"status": "all"})
    assert built and unmasked(fresh) == unmasked(kept)
    again, built = page_queries(verifier_client, {"status": "all"})
    assert built  # off: every request builds its page


@time_machine.travel(NOON, tick=False)
def test_htmx_results_are_kept_too(verifier_client, rows):
    one = verifier_client.get(URL, HTTP_HX_REQUEST="true").content.decode()
    with CaptureQueriesContext(connection) as seen:
        two = verifier_client.get(URL, HTTP_HX_REQUEST="true").content.decode()
    assert not any("registrations_registration" in q["sql"] for q in seen.captured_queries)
    assert two.lstrip().startswith('<div id="queue-results">')
    assert unmasked(one) == unmasked(two)


@time_machine.travel(NOON, tick=False)
def test_every_change_shows_on_the_next_request(verifier_client, rows, vendor, office,
                                                verifier):
    page_queries(verifier_client)
    # Taken through the real form: assigned to the verifier at once.
    target = next(r for r in rows if r.assigned_to is None)
    verifier_client.post(reverse("staff_take", args=[target.code]))
    html, built = page_queries(verifier_client)
    assert built
    # An edit that bypasses every Python hook (QuerySet.update) shows as well.
    Registration.objects.filter(pk=rows[1].pk).update(company_name="CV Nama Baru")
    html, built = page_queries(verifier_client)
    assert built and "CV Nama Baru" in html
    page_queries(verifier_client)
    # A new registration, and a vendor's new address (shown when there is no name yet).
    make_registration(vendor, office, status="submitted", company_name="",
                      npwp=f"{999:016d}", nib=f"{999:013d}")
    html, built = page_queries(verifier_client)
    assert built and "direktur@cvmaju.test" in html
    vendor.email = "alamat-baru@cvmaju.test"
    vendor.save()
    html, built = page_queries(verifier_client)
    assert built and "alamat-baru@cvmaju.test" in html
    verifier.full_name = "Verifikator Berganti"
    verifier.save()
    html, built = page_queries(verifier_client)
    assert built and "Verifikator Berganti" in html


def test_the_waiting_time_is_never_more_than_a_minute_old(verifier_client, rows):
    with time_machine.travel(NOON, tick=False):
        first, built = page_queries(verifier_client)
        assert built and "3\xa0jam" in first
    with time_machine.travel(NOON + datetime.timedelta(seconds=40), tick=False):
        _, built = page_queries(verifier_client)
        assert not built  # the same minute
    with time_machine.travel(NOON + datetime.timedelta(minutes=1), tick=False):
        html, built = page_queries(verifier_client)
        assert built and "3\xa0jam, 1\xa0menit" in html


@time_machine.travel(NOON, tick=False)
def test_each_person_their_own_page(client, rows, verifier, office):
    login(client, verifier)
    as_verifier, _ = page_queries(client)
    coordinator = make_user("koor-memo@lpse.test", Role.COORDINATOR, office, totp=True,
                            full_name="Koor Memo")
    other = Client()
    login(other, coordinator)
    as_coordinator, built = page_queries(other)
    assert built
    assert 'name="verifier"' in as_coordinator and 'name="verifier"' not in as_verifier
    # A second verifier of the office: their own key, built for them.
    second = make_user("verifikator-dua@lpse.test", Role.VERIFIER, office, totp=True)
    third = Client()
    login(third, second)
    _, built = page_queries(third)
    assert built


@time_machine.travel(NOON, tick=False)
def test_the_kept_page_token_is_accepted(rows, verifier):
    client = Client(enforce_csrf_checks=True)
    login(client, verifier)
    client.get(URL)
    html, built = page_queries(client)
    assert not built
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    target = next(r for r in rows if r.assigned_to is None)
    response = client.post(reverse("staff_take", args=[target.code]),
                           {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.assigned_to == verifier


@time_machine.travel(NOON, tick=False)
def test_another_office_never_gets_the_page(client, rows, other_office, verifier_client):
    page_queries(verifier_client)
    login(client, make_user("v@sambas.test", Role.VERIFIER, other_office, totp=True))
    html, built = page_queries(client)
    assert built and "CV Simpan" not in html
