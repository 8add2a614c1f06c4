"""The queue's status filter says how many registrations each status holds
(staff_queue.status_counts): one grouped query, cached a minute per office, never
another office's numbers."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import login, make_user
from tests.registrations.factories import make_registration
from verifikasi.accounts.models import Role
from verifikasi.registrations.staff_queue import status_counts


def add(vendor, office, status):
    n = add.serial = getattr(add, "serial", 0) + 1
    return make_registration(vendor, office, status=status, company_name=f"CV Hitung {n}",
                             npwp=f"{n:016d}", nib=f"{n:013d}")


@pytest.fixture
def office_mix(vendor, office, other_office, other_vendor):
    for status, n in (("submitted", 3), ("revision_requested", 2), ("draft", 1),
                      ("completed", 1)):
        for _ in range(n):
            add(vendor, office, status)
    for _ in range(5):  # another office's: must never show
        add(other_vendor, other_office, "submitted")


def status_options(response) -> dict[str, str]:
    return dict(response.context["form"].fields["status"].choices)


def test_it_counts_each_status_of_the_own_office(office_mix, office):
    counts = status_counts(office)
    assert counts["submitted"] == 3 and counts["revision_requested"] == 2
    assert counts["draft"] == 1 and counts["completed"] == 1
    assert counts["all"] == 7
    assert counts["actionable"] == 3  # submitted; a revision waits for the vendor


def test_the_filter_shows_the_counts(verifier_client, office_mix):
    response = verifier_client.get(reverse("staff_queue"))
    options = status_options(response)
    assert options["submitted"] == "Diajukan (3)"
    assert options["revision_requested"] == "Perlu perbaikan (2)"
    assert options["all"] == "Semua (7)"
    assert options["scheduled"].endswith("(0)")
    html = response.content.decode()
    assert "Diajukan (3)</option>" in html


def test_another_office_sees_only_its_own_counts(client, office_mix, other_office):
    login(client, make_user("v@sambas.test", Role.VERIFIER, other_office, totp=True))
    options = status_options(client.get(reverse("staff_queue")))
    assert options["submitted"] == "Diajukan (5)"
    assert options["all"] == "Semua (5)"
    assert options["revision_requested"] == "Perlu perbaikan (0)"


def test_one_grouped_query_then_the_cache_for_a_minute(office_mix, office, vendor):
    caches["local"].delete(f"queue-status-counts:{office.pk}")
    with CaptureQueriesContext(connection) as first:
        status_counts(office)
    counting = [q["sql"] for q in first if "registrations_registration" in q["sql"]]
    assert len(counting) == 1 and "GROUP BY" in counting[0]
    add(vendor, office, "submitted")
    with CaptureQueriesContext(connection) as again:
        assert status_counts(office)["submitted"] == 3  # cached: a minute old is fine
    assert not [q for q in again if "registrations_registration" in q["sql"]]
    caches["local"].delete(f"queue-status-counts:{office.pk}")
    assert status_counts(office)["submitted"] == 4


def test_the_kept_filter_form_follows_what_was_asked_and_the_office(client, verifier_client,
                                                                    office_mix, other_office):
    # The form's markup is kept a minute per office, language and values (issue 16).
    url = reverse("staff_queue")
    for _ in range(2):  # rendered, then kept
        html = verifier_client.get(url, {"status": "submitted", "q": "Hitung"}).content.decode()
        assert '<option value="submitted" selected>Diajukan (3)</option>' in html
        assert 'value="Hitung"' in html
    html = verifier_client.get(url, {"status": "all"}).content.decode()
    assert '<option value="all" selected>Semua (7)</option>' in html
    assert 'value="Hitung"' not in html
    login(client, make_user("v2@sambas.test", Role.VERIFIER, other_office, totp=True))
    html = client.get(url, {"status": "submitted", "q": "Hitung"}).content.decode()
    assert '<option value="submitted" selected>Diajukan (5)</option>' in html
