"""Durable email through a real SMTP server on loopback (DESIGN: background work).

Every message is a row plus a task written in the caller's transaction; the
worker delivers it once, retries with exponential backoff while the mail
server is down, and gives up visibly after EMAIL_MAX_ATTEMPTS.
"""

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.notifications import LINK, queue_test_email, run_worker, run_worker_until_failed
from verifikasi.core.models import AuditEvent
from verifikasi.notifications.models import EmailStatus, OutboundEmail
from verifikasi.notifications.services import email_requeue_stale, retry_delay


def test_it_delivers_a_queued_email_once_with_office_headers(smtp_server, office, settings):
    email = queue_test_email(office)
    assert smtp_server.messages == []  # queued, not sent in the request

    run_worker()
    run_worker()

    received = smtp_server.for_email(email)
    assert len(received) == 1
    msg = received[0]
    assert msg["To"] == "direktur@cvmaju.test"
    assert msg.rcpt_tos == ["direktur@cvmaju.test"]
    assert msg["Subject"] == "Pesan uji dari LPSE Kab. Ketapang"
    assert msg["Reply-To"] == office.reply_to_email == "bpbj.verifikator@gmail.com"
    assert msg["From"] == settings.DEFAULT_FROM_EMAIL
    assert msg.message.get_content_type() == "multipart/alternative"
    assert "Yth. Budi Santoso," in msg.text
    assert LINK in msg.text
    assert f'href="{LINK}"' in msg.html
    assert "LPSE Kabupaten Ketapang" in msg.html
    assert len(smtp_server.messages) == 1

    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert email.attempts == 1
    assert email.sent_at is not None
    assert email.last_error == ""


def test_it_sends_nothing_when_the_queueing_transaction_rolls_back(smtp_server, office):
    tasks_before = DBTaskResult.objects.count()

    with pytest.raises(RuntimeError), transaction.atomic():
        queue_test_email(office)
        raise RuntimeError("the act that caused the email failed")

    assert not OutboundEmail.objects.exists()
    assert DBTaskResult.objects.count() == tasks_before
    run_worker()
    assert smtp_server.messages == []


def test_it_retries_while_the_server_is_down_and_then_delivers_each_message_once(
    smtp_server, office
):
    smtp_server.stop()
    emails = [queue_test_email(office, to=f"vendor{i}@contoh.test") for i in range(3)]

    run_worker()

    assert smtp_server.messages == []
    now = timezone.now()
    for email in emails:
        email.refresh_from_db()
        assert email.status == EmailStatus.QUEUED
        assert email.attempts == 1
        assert email.last_error  # e.g. "ConnectionRefusedError: ..."
        assert email.next_attempt_at > now
        assert email.next_attempt_at - email.last_attempt_at >= retry_delay(1)

    # The server is back, but no retry is due yet: the backoff holds.
    smtp_server.start()
    run_worker()
    assert smtp_server.messages == []

    due = max(email.next_attempt_at for email in emails) + timedelta(seconds=1)
    with time_machine.travel(due, tick=True):
        run_worker()
        for email in emails:
            assert len(smtp_server.for_email(email)) == 1, email.to
        # Nothing left that would send any of them again.
        run_worker()
    with time_machine.travel(due + timedelta(days=1), tick=True):
        run_worker()

    assert len(smtp_server.messages) == 3
    for email in emails:
        assert len(smtp_server.for_email(email)) == 1
        assert smtp_server.for_email(email)[0]["To"] == email.to[0]
        email.refresh_from_db()
        assert email.status == EmailStatus.SENT
        assert email.attempts == 2
        assert email.last_error == ""
        assert email.next_attempt_at is None


def test_it_backs_off_exponentially_over_more_than_an_hour_by_default(settings):
    # The values settings.py gives when the environment sets nothing.
    assert settings.EMAIL_MAX_ATTEMPTS == 6
    assert settings.EMAIL_RETRY_BASE_SECONDS == 120

    # A retry follows every failed attempt but the last.
    delays = [retry_delay(n) for n in range(1, settings.EMAIL_MAX_ATTEMPTS)]
    assert settings.EMAIL_MAX_ATTEMPTS >= 5
    assert sum(delays, timedelta()) >= timedelta(hours=1)
    assert delays[0] == timedelta(seconds=settings.EMAIL_RETRY_BASE_SECONDS)
    ratios = {b / a for a, b in zip(delays, delays[1:], strict=False)}
    assert ratios == {2}


def test_it_marks_a_message_failed_after_the_last_attempt_and_audits_it(
    smtp_server, office, settings
):
    smtp_server.stop()
    email = queue_test_email(office)

    steps = run_worker_until_failed(email)

    # One attempt per worker run, each retry scheduled by the backoff.
    assert [attempts for attempts, _, _ in steps] == list(
        range(1, settings.EMAIL_MAX_ATTEMPTS + 1)
    )
    for attempts, last_attempt_at, next_attempt_at in steps[:-1]:
        assert next_attempt_at - last_attempt_at == retry_delay(attempts)
    first_attempt, last_attempt = steps[0][1], steps[-1][1]
    assert last_attempt - first_attempt >= timedelta(hours=1)

    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED
    assert email.attempts == settings.EMAIL_MAX_ATTEMPTS
    assert email.next_attempt_at is None
    assert "Error" in email.last_error
    events = AuditEvent.objects.filter(action="email.failed", object_id=str(email.code))
    assert events.count() == 1
    assert events.get().details["attempts"] == settings.EMAIL_MAX_ATTEMPTS
    assert events.get().office == office

    # Failed for good: a running server and more worker runs change nothing.
    smtp_server.start()
    with time_machine.travel(timezone.now() + timedelta(days=2), tick=True):
        run_worker()
    assert smtp_server.messages == []
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED


def test_it_counts_an_unexpected_error_as_a_failed_attempt(smtp_server, office):
    email = queue_test_email(office)
    # Not an SMTP or network error: Django refuses to build the message.
    OutboundEmail.objects.filter(pk=email.pk).update(headers={"X-Rusak": "a\nb"})

    run_worker()

    email.refresh_from_db()
    assert email.status == EmailStatus.QUEUED  # not stuck in SENDING
    assert email.attempts == 1
    assert email.last_error.startswith("ValueError")
    assert email.next_attempt_at is not None
    assert smtp_server.messages == []


def _crash_mid_delivery(email, attempts=1):
    """What a worker that died while talking to the SMTP server leaves behind:
    the row claimed (SENDING, attempt counted) and its task taken."""
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.SENDING, attempts=attempts, last_attempt_at=timezone.now()
    )
    DBTaskResult.objects.ready().update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now())


def test_it_hands_back_a_message_stuck_in_sending_and_delivers_it_once(smtp_server, office):
    email = queue_test_email(office)
    _crash_mid_delivery(email)

    # A delivery that may still be in progress is left alone.
    with time_machine.travel(timezone.now() + timedelta(minutes=9), tick=True):
        assert email_requeue_stale() == 0
        run_worker()
    assert smtp_server.messages == []
    email.refresh_from_db()
    assert email.status == EmailStatus.SENDING

    with time_machine.travel(timezone.now() + timedelta(minutes=11), tick=True):
        assert email_requeue_stale() == 1
        assert email_requeue_stale() == 0  # handed back once, not once per call
        run_worker()
        run_worker()

    assert len(smtp_server.for_email(email)) == 1
    assert len(smtp_server.messages) == 1
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert email.attempts == 2


def test_it_requeues_stale_messages_from_the_workers_own_upkeep(smtp_server, office):
    email = queue_test_email(office)
    _crash_mid_delivery(email)

    with time_machine.travel(timezone.now() + timedelta(minutes=11), tick=True):
        run_worker()  # batch mode runs upkeep first, then the due tasks
        run_worker()

    assert len(smtp_server.for_email(email)) == 1
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT


def test_it_fails_a_message_whose_last_attempt_stopped_the_worker(
    smtp_server, office, settings
):
    email = queue_test_email(office)
    _crash_mid_delivery(email, attempts=settings.EMAIL_MAX_ATTEMPTS)

    with time_machine.travel(timezone.now() + timedelta(minutes=11), tick=True):
        assert email_requeue_stale() == 0
        run_worker()

    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED
    assert AuditEvent.objects.filter(action="email.failed", object_id=str(email.code)).exists()
    assert smtp_server.messages == []
