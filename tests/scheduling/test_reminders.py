"""Reminders 24 h and 1 h before the call: queued as tasks with run_after when a time
is confirmed, sent by the worker exactly once each — a repeated or stale task (after
a reschedule) finds nothing to claim."""

from datetime import timedelta

import pytest

from tests.conftest import run_worker
from tests.scheduling.factories import schedule, wib
from verifikasi.core.models import AuditEvent
from verifikasi.notifications.models import EmailStatus, OutboundEmail
from verifikasi.scheduling import reminders as reminder_services
from verifikasi.scheduling import services
from verifikasi.scheduling.selectors import appointment_for
from verifikasi.scheduling.tasks import appointment_send_reminder as send_appointment_reminder

THU_13 = wib(2026, 12, 10, 13, 0)
FRI_9 = wib(2026, 12, 11, 9, 0)


def reminders():
    return list(OutboundEmail.objects.filter(template="appointment_reminder").order_by("pk"))


@pytest.fixture
def registration_scheduled(registration_documents_accepted, verifier):
    schedule(registration_documents_accepted, THU_13, verifier)
    return registration_documents_accepted


def test_nothing_is_sent_before_its_time(clock, registration_scheduled):
    run_worker()
    assert reminders() == []


def test_each_reminder_is_sent_once_even_when_the_worker_runs_again(clock, registration_scheduled):
    clock.move_to(THU_13 - timedelta(hours=23))
    run_worker()
    run_worker()
    [day_before] = reminders()
    assert day_before.to == [registration_scheduled.vendor.email]
    assert "23 jam lagi" in day_before.subject
    assert "Kamis, 10 Desember 2026, 13.00–13.30 WIB" in day_before.body_text
    assert day_before.status == EmailStatus.SENT
    assert appointment_for(registration_scheduled).reminder_24h_sent_at is not None

    clock.move_to(THU_13 - timedelta(minutes=30))
    run_worker()
    run_worker()
    assert len(reminders()) == 2
    assert "30 menit lagi" in reminders()[1].subject
    assert appointment_for(registration_scheduled).reminder_1h_sent_at is not None
    assert [e.details["kind"] for e in AuditEvent.objects.filter(
        action="appointment.reminder_sent").order_by("seq")] == ["24h", "1h"]

    clock.move_to(THU_13 + timedelta(hours=1))
    run_worker()
    assert len(reminders()) == 2


def test_a_duplicate_task_does_nothing(clock, registration_scheduled):
    appointment = appointment_for(registration_scheduled)
    # What a restarted worker or a second worker would run: the same task again.
    send_appointment_reminder.enqueue(appointment.pk, "24h", appointment.sequence)
    clock.move_to(THU_13 - timedelta(hours=23))
    run_worker()
    assert len(reminders()) == 1
    assert reminder_services.appointment_send_reminder(
        appointment_id=appointment.pk, kind="24h", sequence=appointment.sequence) == "skipped"
    assert len(reminders()) == 1


def test_after_a_reschedule_old_reminders_do_nothing_and_new_ones_fire_once(
        clock, registration_scheduled, verifier):
    services.appointment_reschedule(registration=registration_scheduled, actor=verifier,
                                    reason="Verifikator sakit", starts=[FRI_9])
    registration_scheduled.refresh_from_db()
    services.appointment_accept_offer(
        registration=registration_scheduled, actor=registration_scheduled.vendor, start=FRI_9
    )

    clock.move_to(THU_13 - timedelta(hours=23))  # the old 24 h reminder is due
    run_worker()
    assert reminders() == []

    clock.move_to(THU_13 - timedelta(minutes=30))  # old 1 h and new 24 h are due
    run_worker()
    run_worker()
    [day_before] = reminders()
    assert "Jumat, 11 Desember 2026, 09.00–09.30 WIB" in day_before.body_text

    clock.move_to(FRI_9 - timedelta(minutes=30))
    run_worker()
    run_worker()
    assert len(reminders()) == 2
    assert "Jumat, 11 Desember 2026" in reminders()[1].body_text


def test_no_reminder_for_a_call_no_longer_scheduled(clock, registration_scheduled, verifier):
    services.appointment_reschedule(registration=registration_scheduled, actor=verifier,
                                    reason="Kantor tutup mendadak")
    clock.move_to(THU_13 - timedelta(minutes=30))
    run_worker()
    assert reminders() == []


def test_a_call_confirmed_less_than_a_day_ahead_gets_only_the_hour_reminder(
        clock, registration_documents_accepted, verifier):
    from django_tasks_db.models import DBTaskResult

    from verifikasi.scheduling.models import Availability

    Availability.objects.create(
        office=registration_documents_accepted.office, min_notice_working_days=0
    )
    schedule(registration_documents_accepted, wib(2026, 12, 7, 15, 0), verifier)
    runs = DBTaskResult.objects.filter(task_path__endswith="tasks.appointment_send_reminder")
    assert [r.run_after for r in runs] == [wib(2026, 12, 7, 14, 0)]
