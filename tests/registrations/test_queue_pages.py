"""The queue's keyset pages (issue 16): stable order, next and previous by cursor, the
filters kept across pages, a bad cursor answered with the first page, and no page of
another office's registrations whatever the cursor says."""

import re
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import login, make_user
from tests.registrations.factories import make_registration
from verifikasi.accounts.models import Role
from verifikasi.registrations.staff_queue import (
    COUNT_CAP,
    ERR_CURSOR,
    QUEUE_PAGE_SIZE,
    cursor_for,
)

NOW = timezone.now()


def company(n):
    return {"company_name": f"CV Usaha {n:03d}", "npwp": f"{n:016d}", "nib": f"{n:013d}",
            "email": f"usaha{n}@example.test"}


@pytest.fixture
def queue_rows(vendor, office):
    """120 submitted registrations; rows 0–9 share one status_changed_at (ties are
    broken by the code), the rest wait one hour less each."""
    rows = []
    for n in range(120):
        at = NOW - timedelta(days=30) if n < 10 else NOW - timedelta(days=30, hours=-n)
        rows.append(make_registration(vendor, office, status="submitted",
                                      status_changed_at=at, **company(n)))
    return sorted(rows, key=lambda r: (r.status_changed_at, r.code.hex))


def codes(response):
    return [r.code for r in response.context["page"]]


def link(response, rel):
    """The href of the page link with this rel, as the browser would follow it."""
    match = re.search(rf'<a href="([^"]*)" rel="{rel}">', response.content.decode())
    return unescape(match[1]) if match else None


def follow(client, href):
    return client.get(reverse("staff_queue") + href)


def test_it_walks_every_row_once_in_order_and_back(verifier_client, queue_rows):
    first = verifier_client.get(reverse("staff_queue"))
    assert codes(first) == [r.code for r in queue_rows[:QUEUE_PAGE_SIZE]]
    assert link(first, "prev") is None

    second = follow(verifier_client, link(first, "next"))
    third = follow(verifier_client, link(second, "next"))
    assert codes(second) == [r.code for r in queue_rows[50:100]]
    assert codes(third) == [r.code for r in queue_rows[100:]]
    assert link(third, "next") is None

    back = follow(verifier_client, link(third, "prev"))
    assert codes(back) == codes(second)
    start = follow(verifier_client, link(back, "prev"))
    assert codes(start) == codes(first)
    assert link(start, "prev") is None


def test_the_cursor_carries_the_public_code_not_the_id(verifier_client, queue_rows):
    href = link(verifier_client.get(reverse("staff_queue")), "next")
    cursor = parse_qs(urlsplit(href).query)["setelah"][0]
    assert cursor == cursor_for(queue_rows[QUEUE_PAGE_SIZE - 1])
    assert cursor.endswith(queue_rows[QUEUE_PAGE_SIZE - 1].code.hex)


def test_a_row_added_meanwhile_neither_repeats_nor_shifts_a_row(verifier_client, queue_rows,
                                                                 vendor, office):
    first = verifier_client.get(reverse("staff_queue"))
    # A newly waiting registration lands at the top; OFFSET pages would shift by one.
    make_registration(vendor, office, status="submitted",
                      status_changed_at=NOW - timedelta(days=90), **company(500))
    second = follow(verifier_client, link(first, "next"))
    assert codes(second) == [r.code for r in queue_rows[50:100]]


def test_the_filters_travel_with_the_cursor(verifier_client, queue_rows, vendor, office,
                                            verifier):
    for r in queue_rows[::2]:
        r.assigned_to = verifier
        r.save()
    mine = [r.code for r in queue_rows[::2]]
    first = verifier_client.get(reverse("staff_queue"), {"assigned": "me", "q": "usaha"})
    href = link(first, "next")
    query = parse_qs(urlsplit(href).query)
    assert query["assigned"] == ["me"] and query["q"] == ["usaha"]
    second = follow(verifier_client, href)
    assert codes(first) + codes(second) == mine
    assert link(second, "next") is None


def test_it_counts_up_to_a_cap(verifier_client, queue_rows):
    page = verifier_client.get(reverse("staff_queue")).context["page"]
    assert (page.total, page.total_capped) == (120, False)
    assert "120 pendaftaran cocok" in verifier_client.get(reverse("staff_queue")).content.decode()
    assert COUNT_CAP >= QUEUE_PAGE_SIZE


@pytest.mark.parametrize("param, value", [
    ("setelah", "bukan-penanda"), ("setelah", "1.zz"), ("sebelum", "12." + "0" * 31),
    ("sebelum", "12." + "g" * 32),
    ("setelah", "-5." + "0" * 32), ("sebelum", ""), ("setelah", "1" * 400),
    ("halaman", "200"),
])
def test_a_bad_cursor_gives_the_first_page_with_a_message(verifier_client, queue_rows, param,
                                                          value):
    response = verifier_client.get(reverse("staff_queue"), {param: value})
    assert response.status_code == 200
    assert codes(response) == [r.code for r in queue_rows[:QUEUE_PAGE_SIZE]]
    shown = bool(value) and param != "halaman"
    assert (str(ERR_CURSOR) in unescape(response.content.decode())) is shown


def test_a_cursor_past_the_end_shows_an_empty_page_not_an_error(verifier_client, queue_rows):
    late = cursor_for(queue_rows[-1])
    response = verifier_client.get(reverse("staff_queue"), {"setelah": late})
    assert response.status_code == 200
    assert codes(response) == []


def test_another_offices_cursor_shows_only_the_own_office(client, queue_rows, other_office,
                                                          vendor):
    theirs = [make_registration(vendor, other_office, status="submitted",
                                status_changed_at=NOW - timedelta(days=60 - n),
                                **company(300 + n)) for n in range(3)]
    outsider = make_user("v@sambas.test", Role.VERIFIER, other_office, totp=True)
    login(client, outsider)
    # Walking with a cursor taken from our office's rows still lists only Sambas's.
    for param in ("setelah", "sebelum"):
        for row in (queue_rows[0], queue_rows[60], queue_rows[-1]):
            shown = codes(client.get(reverse("staff_queue"), {param: cursor_for(row)}))
            assert set(shown) <= {r.code for r in theirs}
    assert codes(client.get(reverse("staff_queue"))) == [r.code for r in theirs]


def test_htmx_results_carry_the_page_links(verifier_client, queue_rows):
    response = verifier_client.get(reverse("staff_queue"), {"status": "all"},
                                   HTTP_HX_REQUEST="true")
    href = link(response, "next")
    assert href.startswith("?status=all&setelah=")


def test_an_address_is_searched_from_its_start_and_a_domain_anywhere(verifier_client,
                                                                     queue_rows):
    def found(q):
        return [r.company_name for r in verifier_client.get(reverse("staff_queue"),
                                                            {"q": q}).context["page"]]

    assert found("usaha7@example.test") == ["CV Usaha 007"]
    assert found("saha7@example.test") == []  # an address is typed from its start
    assert len(found("@example.test")) == QUEUE_PAGE_SIZE  # a domain: anywhere
