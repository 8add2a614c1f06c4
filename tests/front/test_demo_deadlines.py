"""The demo shows a deficiency deadline running out and an overdue registration (issue 20)."""

import io

from django.core.management import call_command

from verifikasi.offices.models import Office
from verifikasi.offices.workdays import WorkCalendar
from verifikasi.registrations.deadlines import days_left, office_today
from verifikasi.registrations.models import Registration
from verifikasi.registrations.models import RegistrationStatus as S
from verifikasi.registrations.sla import sla_days_left
from verifikasi.registrations.staff_queue import QueueFilters, registration_queue


def test_the_demo_seeds_a_lapsing_and_an_overdue_registration_once(settings, db):
    settings.DEMO_MODE = True
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=io.StringIO())

    office = Office.objects.get(code="ketapang")
    today, calendar = office_today(office), WorkCalendar(office)
    # (The demo also seeds the reports' history and the duplicate card's companies.)
    lapsing = Registration.objects.get(company_name="CV Lestari Abadi")
    overdue = Registration.objects.get(company_name="CV Sinar Kapuas")
    assert (lapsing.status, overdue.status) == (S.REVISION_REQUESTED, S.SUBMITTED)
    assert days_left(lapsing, today=today, calendar=calendar) == 2
    assert sla_days_left(overdue, today=today, calendar=calendar) < 0
    late = registration_queue(office, None, QueueFilters(status="all", late=True))
    assert overdue in late and lapsing not in late
    assert "CV Lestari Abadi: deficiency deadline" in out.getvalue()
    assert Registration.objects.filter(
        company_name__in=["CV Lestari Abadi", "CV Sinar Kapuas"]).count() == 2  # once
