"""The service-time clock (issue 19): working days with the office, the vendor's time paused."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.conftest import login, make_user, run_worker
from tests.registrations.factories import COMPANY, ready_to_submit
from tests.registrations.test_deadlines import at
from verifikasi.accounts.models import Role
from verifikasi.core.models import AuditEvent
from verifikasi.notifications.models import OutboundEmail
from verifikasi.offices.workdays import WorkCalendar
from verifikasi.registrations import sla, sla_summary, workflow
from verifikasi.registrations.models import Registration
from verifikasi.registrations.models import RegistrationStatus as S
from verifikasi.registrations.services import registration_submit
from verifikasi.scheduling.models import Closure

MON_7 = datetime.date(2026, 12, 7)
WED_9 = datetime.date(2026, 12, 9)
MON_21 = datetime.date(2026, 12, 21)
TUE_29 = datetime.date(2026, 12, 29)


def left(registration, today):
    registration.refresh_from_db()
    return sla.sla_days_left(registration, today=today,
                             calendar=WorkCalendar(registration.office))


@pytest.fixture
def clocked(vendor, office, verifier):
    """Submitted Mon 7 Dec, sent back Wed 9 Dec, resubmitted Mon 21 Dec."""
    with at(MON_7):
        registration = ready_to_submit(vendor, office)
        registration_submit(registration=registration, actor=vendor)
    registration.refresh_from_db()
    assert registration.sla_running_since == MON_7
    assert registration.sla_due_on == datetime.date(2026, 12, 14)  # 5 working days
    with at(WED_9):
        workflow.transition(registration, "reopen_for_correction", actor=verifier)
    registration.refresh_from_db()
    assert (registration.sla_used_days, registration.sla_running_since,
            registration.sla_due_on) == (2, None, None)
    with at(MON_21):
        workflow.transition(registration, "resubmit", actor=vendor)
    registration.refresh_from_db()
    return registration


def test_the_clock_pauses_while_the_vendor_fixes_and_resumes_after(clocked):
    assert clocked.sla_used_days == 2
    assert clocked.sla_running_since == MON_21
    # 3 working days left from Mon 21: 22, 23, (24 cuti bersama, 25 Christmas) 28.
    assert clocked.sla_due_on == datetime.date(2026, 12, 28)
    assert left(clocked, MON_21) == 3
    assert left(clocked, datetime.date(2026, 12, 28)) == 0
    assert left(clocked, TUE_29) == -1


def test_the_clock_stops_when_the_registration_closes(clocked, vendor):
    with at(datetime.date(2026, 12, 23)):
        workflow.transition(clocked, "withdraw", actor=vendor)
    clocked.refresh_from_db()
    assert (clocked.sla_used_days, clocked.sla_running_since, clocked.sla_due_on) == (
        4, None, None)


def test_sla_rebuild_follows_a_new_closure(clocked, office):
    Closure.objects.create(office=office, start_date=datetime.date(2026, 12, 22),
                           end_date=datetime.date(2026, 12, 22), note="Rapat kerja")
    call_command("sla_rebuild", verbosity=0)
    clocked.refresh_from_db()
    assert clocked.sla_due_on == datetime.date(2026, 12, 29)


def test_the_queue_shows_days_left_flags_overdue_and_filters_them(
        clocked, client, verifier, vendor, office, other_office):
    with at(MON_21):
        on_time = ready_to_submit(make_user("lain@pt.test", Role.VENDOR), office,
                                  **{**COMPANY, "npwp": "0123456789012345",
                                     "company_name": "CV Tepat Waktu"})
        registration_submit(registration=on_time, actor=on_time.vendor)
    elsewhere = ready_to_submit(make_user("jauh@pt.test", Role.VENDOR), other_office,
                                company_name="CV Kantor Lain")
    Registration.objects.filter(pk=elsewhere.pk).update(
        status=S.SUBMITTED, sla_running_since=MON_7, sla_due_on=MON_7)
    with at(TUE_29):
        login(client, verifier)
        page = client.get(reverse("staff_queue")).content.decode()
        late = client.get(reverse("staff_queue") + "?terlambat=1").content.decode()
    assert "Terlambat 1 hari kerja" in page
    assert 'class="overdue"' in page
    assert "CV Maju Jaya" in late and "CV Tepat Waktu" not in late
    assert "CV Kantor Lain" not in page and "CV Kantor Lain" not in late


def test_the_head_gets_one_summary_a_week_through_smtp(
        clocked, coordinator, office, smtp_server):
    with at(MON_21):  # the first pass starts the weekly cycle: nothing sent yet
        assert sla_summary.sla_summaries_upkeep() == 0
        run_worker()
    assert not OutboundEmail.objects.filter(template="sla_summary").exists()
    with at(TUE_29):
        assert sla_summary.sla_summaries_upkeep() >= 1
        run_worker()
        sla_summary.sla_summaries_upkeep()
        run_worker()
    [email] = OutboundEmail.objects.filter(template="sla_summary")
    [message] = smtp_server.for_email(email)
    assert message.rcpt_tos == [coordinator.email]
    assert "CV Maju Jaya" in message.text and "lewat 1 hari kerja" in message.text
    assert AuditEvent.objects.filter(action="registration.sla_summary_sent").count() == 1
    with at(datetime.date(2027, 1, 4)):
        sla_summary.sla_summaries_upkeep()
        run_worker()
    assert OutboundEmail.objects.filter(template="sla_summary").count() == 2


def test_sla_rebuild_starts_the_clock_of_registrations_from_before_it(vendor, office):
    registration = ready_to_submit(vendor, office, status="submitted", review_round=1)
    assert registration.sla_running_since is None
    with at(WED_9):
        call_command("sla_rebuild", "--office", office.code, verbosity=0)
    registration.refresh_from_db()
    assert registration.sla_running_since is not None and registration.sla_due_on


def test_the_workers_upkeep_scans_deadlines_at_most_every_ten_minutes(vendor, office):
    from verifikasi.registrations.deadlines import revision_deadlines_tick

    ready_to_submit(vendor, office, status="revision_requested", review_round=1,
                    revision_deadline=datetime.date(2026, 12, 23))  # 2 working days left
    with at(MON_21):
        assert revision_deadlines_tick() == 1  # the reminder's task is queued
        assert revision_deadlines_tick() == 0  # not again within ten minutes
    with at(MON_21, 10):
        assert revision_deadlines_tick() == 1  # not yet sent: queued again (claimed once)
