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
    lapsing = Registration.objects.get(status=S.REVISION_REQUESTED)
    overdue = Registration.objects.get(status=S.SUBMITTED)
    assert days_left(lapsing, today=today, calendar=calendar) == 2
    assert sla_days_left(overdue, today=today, calendar=calendar) < 0
    late = registration_queue(office, None, QueueFilters(status="all", late=True))
    assert list(late) == [overdue]
    assert "CV Lestari Abadi: deficiency deadline" in out.getvalue()
    assert Registration.objects.count() == 2
