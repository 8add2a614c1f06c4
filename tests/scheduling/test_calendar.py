"""The team's week view: the office's confirmed calls, for its verifiers, coordinator
and admin only, in the office's zone."""

from datetime import date

import pytest
from django.urls import reverse

from tests.conftest import login, make_user
from tests.scheduling.factories import another_accepted, propose, schedule, wib
from verifikasi.accounts.models import Role
from verifikasi.scheduling.selectors import week_calendar

URL = reverse("schedule_calendar")
THU_13 = wib(2026, 12, 10, 13, 0)


@pytest.fixture
def registration_scheduled(registration_documents_accepted, verifier):
    schedule(registration_documents_accepted, THU_13, verifier)
    return registration_documents_accepted


@pytest.mark.parametrize("who", ["verifier", "coordinator", "admin_user"])
def test_office_staff_see_the_weeks_calls(client, request, registration_scheduled, who):
    login(client, request.getfixturevalue(who))
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kamis, 10 Desember 2026" in page
    assert "13.00–13.30" in page
    assert "CV Maju Jaya" in page
    assert "WIB (Asia/Pontianak)" in page


def test_the_team_gets_a_link_to_each_call(verifier_client, registration_scheduled):
    page = verifier_client.get(URL).content.decode()
    assert reverse("schedule_manage", args=[registration_scheduled.code]) in page


def test_it_shows_another_week_and_its_holidays(verifier_client, registration_scheduled):
    page = verifier_client.get(URL, {"minggu": "2026-12-24"}).content.decode()
    assert "Senin, 21 Desember 2026" in page  # weeks start on Monday
    assert "Hari Raya Natal" in page
    assert "CV Maju Jaya" not in page


def test_it_lists_proposals_waiting_for_the_team(verifier_client, office, clock):
    waiting = another_accepted(office)
    propose(waiting, wib(2026, 12, 9, 10, 0))
    page = verifier_client.get(URL).content.decode()
    assert waiting.company_name in page
    assert "Rabu, 9 Desember 2026, 10.00–10.30 WIB" in page


def test_staff_of_another_office_do_not_see_our_calls(client, other_office, registration_scheduled):
    login(client, make_user("verif@sambas.test", Role.VERIFIER, other_office, totp=True))
    page = client.get(URL).content.decode()
    assert "CV Maju Jaya" not in page


def test_vendors_are_refused(vendor_client, registration_scheduled):
    assert vendor_client.get(URL).status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_week_calendar_groups_calls_by_local_day(office, registration_scheduled, verifier):
    late = another_accepted(office)
    schedule(late, wib(2026, 12, 10, 15, 0), verifier)
    days = week_calendar(office, date(2026, 12, 7))
    assert [d.day for d in days][0] == date(2026, 12, 7)
    thursday = days[3]
    assert [c.start for c in thursday.calls] == [THU_13, wib(2026, 12, 10, 15, 0)]
    assert days[0].is_today
    assert days[5].closed == "Bukan hari kerja"
