"""The verifiers' queue: filters, search, oldest first, take/assign, constant queries."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.conftest import login, make_user
from tests.registrations.factories import make_registration
from verifikasi.accounts.models import Role
from verifikasi.core.models import AuditEvent
from verifikasi.registrations.models import Registration


def company(n):
    return {"company_name": f"CV Usaha {n:03d}", "npwp": f"{n:016d}", "nib": f"{n:013d}",
            "email": f"usaha{n}@example.test"}


@pytest.fixture
def many(vendor, office):
    now = timezone.now()
    regs = []
    for n in range(1, 8):
        regs.append(make_registration(vendor, office, status="submitted",
                                      status_changed_at=now - timedelta(days=n), **company(n)))
    return regs


def names(response):
    return [r.company_name for r in response.context["page"]]


def test_it_lists_the_oldest_waiting_first(verifier_client, many):
    response = verifier_client.get(reverse("staff_queue"))
    assert response.status_code == 200
    assert names(response) == [f"CV Usaha {n:03d}" for n in range(7, 0, -1)]


@pytest.mark.parametrize("q, expected", [
    ("usaha 003", ["CV Usaha 003"]),
    ("0000000000000005", ["CV Usaha 005"]),   # NPWP digits
    ("0000000000006", ["CV Usaha 006"]),      # NIB digits
    ("usaha2@example", ["CV Usaha 002"]),     # email
])
def test_it_searches_by_name_npwp_nib_or_email(verifier_client, many, q, expected):
    assert names(verifier_client.get(reverse("staff_queue"), {"q": q})) == expected


def test_it_filters_by_waiting_time_and_assignment(verifier_client, many, verifier):
    many[0].assigned_to = verifier
    many[0].save()
    assert len(names(verifier_client.get(reverse("staff_queue"), {"waited": "7"}))) == 1
    assert names(verifier_client.get(reverse("staff_queue"), {"assigned": "me"})) == [
        "CV Usaha 001"]
    assert len(names(verifier_client.get(reverse("staff_queue"),
                                         {"assigned": "unassigned"}))) == 6


def test_it_filters_by_status(verifier_client, many, vendor, office):
    make_registration(vendor, office, status="draft", **company(99))
    assert "CV Usaha 099" not in names(verifier_client.get(reverse("staff_queue")))
    assert names(verifier_client.get(reverse("staff_queue"), {"status": "draft"})) == [
        "CV Usaha 099"]


def test_it_shows_only_the_own_office(client, many, other_office):
    outsider = make_user("v@sambas.test", Role.VERIFIER, other_office, totp=True)
    login(client, outsider)
    assert names(client.get(reverse("staff_queue"))) == []


def test_htmx_gets_only_the_results(verifier_client, many):
    response = verifier_client.get(reverse("staff_queue"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="queue-results">')
    assert "<html" not in html


def test_its_query_count_does_not_grow_with_the_rows(verifier_client, vendor, office, many,
                                                     settings):
    settings.PERSONAL_PAGE_MEMO_SECONDS = 0  # every request builds its page (queue_memo)
    verifier_client.get(reverse("staff_queue"))  # the status counts are cached from now on
    with CaptureQueriesContext(connection) as few:
        verifier_client.get(reverse("staff_queue"))
    for n in range(100, 140):
        make_registration(vendor, office, status="submitted", assigned_to=None, **company(n))
    with CaptureQueriesContext(connection) as more:
        response = verifier_client.get(reverse("staff_queue"))
    assert len(response.context["page"]) == 47
    assert len(more) == len(few)


def test_a_verifier_takes_an_unassigned_registration(verifier_client, many, verifier):
    response = verifier_client.post(reverse("staff_take", args=[many[0].code]))
    assert response.status_code == 302
    many[0].refresh_from_db()
    assert many[0].assigned_to == verifier
    assert AuditEvent.objects.filter(action="registration.taken").exists()
    # Taking it again (someone else's now) is refused.
    many[1].assigned_to = make_user("lain@lpse.test", Role.VERIFIER, many[1].office)
    many[1].save()
    assert verifier_client.post(reverse("staff_take", args=[many[1].code])).status_code == 403


def test_the_coordinator_assigns_and_a_verifier_cannot(client, coordinator, verifier, many):
    login(client, coordinator)
    response = client.post(reverse("staff_assign", args=[many[0].code]),
                           {"verifier": str(verifier.code)})
    assert response.status_code == 302
    many[0].refresh_from_db()
    assert many[0].assigned_to == verifier
    assert AuditEvent.objects.get(action="registration.assigned").details["to"] == verifier.email
    login(client, verifier)
    assert client.post(reverse("staff_assign", args=[many[1].code]),
                       {"verifier": str(verifier.code)}).status_code == 403


def test_the_coordinator_cannot_assign_to_staff_of_another_office(
        client, coordinator, many, other_office):
    outsider = make_user("v@sambas.test", Role.VERIFIER, other_office)
    login(client, coordinator)
    response = client.post(reverse("staff_assign", args=[many[0].code]),
                           {"verifier": str(outsider.code)})
    assert response.status_code == 404
    many[0].refresh_from_db()
    assert many[0].assigned_to is None


@pytest.mark.parametrize("next_value", [
    "https://evil.example/antrean/", "//evil.example/", "/\\evil.example", "javascript:alert(1)",
    "staff_review", "home", "x" * 3000, "http://testserver@evil.example/",
])
def test_assign_never_redirects_off_site_nor_fails_on_next(client, coordinator, verifier, many,
                                                           next_value):
    # Issue 13: next= was an open redirect, and a URL name (or garbage) was a 500.
    login(client, coordinator)
    client.raise_request_exception = False
    response = client.post(reverse("staff_assign", args=[many[0].code]),
                           {"verifier": str(verifier.code), "next": next_value})

    assert response.status_code == 302
    assert response["Location"] == reverse("staff_queue")


def test_assign_returns_to_the_filtered_queue_it_came_from(client, coordinator, verifier, many):
    login(client, coordinator)
    back = reverse("staff_queue") + "?status=all&halaman=2"
    response = client.post(reverse("staff_assign", args=[many[0].code]),
                           {"verifier": str(verifier.code), "next": back})

    assert response["Location"] == back


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_verifiers_acting_at_once_exactly_one_wins(vendor, office):
    """Two connections race to move the same submitted registration (C.3)."""
    from django.db import connections

    from verifikasi.registrations import workflow

    registration = make_registration(vendor, office, status="submitted")
    first = make_user("satu@lpse.test", Role.VERIFIER, office)
    second = make_user("dua@lpse.test", Role.VERIFIER, office)
    barrier = threading.Barrier(2)
    results = {}

    def act(user, action):
        try:
            reg = Registration.objects.get(pk=registration.pk)
            barrier.wait()
            workflow.transition(reg, action, actor=user, data={"reason": "dokumen palsu"})
            results[user.email] = "won"
        except workflow.WorkflowError as e:
            results[user.email] = str(e)
        finally:
            connections.close_all()

    # Both may act (unassigned, submitted, no conditions): the database decides.
    threads = [threading.Thread(target=act, args=(first, "reject")),
               threading.Thread(target=act, args=(second, "reject"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results.values(), key=len)[0] == "won"
    assert list(results.values()).count("won") == 1
    loser = next(v for v in results.values() if v != "won")
    assert "baru saja diubah" in loser
    registration.refresh_from_db()
    assert registration.status == "rejected"
    assert AuditEvent.objects.filter(action="registration.reject").count() == 1


@pytest.mark.postgres_only
@pytest.mark.parametrize(("term", "index"), [("@example.test", "registration_office_email_trgm"),
                                             ("usaha", "registration_office_company_trgm")])
def test_a_search_reads_only_the_offices_part_of_the_trigram_index(office, many, term, index):
    """The (office, trigram) GIN indexes take the office only if it is compared as a bigint
    (btree_gin in PostgreSQL 15): else a common email domain read every office's matches
    (~90 ms at 10⁶ registrations) instead of this office's (~7 ms)."""
    from verifikasi.registrations.staff_queue import QueueFilters, registration_queue

    sql, params = registration_queue(office, None, QueueFilters(status="all", q=term)) \
        .query.sql_with_params()
    with connection.cursor() as cursor:
        # A handful of rows: only the trigram index left to read them by (the test's
        # transaction puts the others back).
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s "
                       "AND indexname <> %s AND indexname NOT IN "
                       "(SELECT conname FROM pg_constraint)", [Registration._meta.db_table, index])
        for (other,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{other}"')
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    scan = next(line for line in plan.splitlines() if f"Bitmap Index Scan on {index}" in line)
    condition = plan.splitlines()[plan.splitlines().index(scan) + 1]
    assert f"office_id = '{office.pk}'::bigint" in condition, plan
