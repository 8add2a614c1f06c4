"""Helpers shared by the notification tests."""

import time_machine
from django.conf import settings
from django.utils import timezone

from tests.conftest import run_worker
from verifikasi.notifications.services import email_queue

LINK = "http://testserver/beranda/"

__all__ = ["LINK", "queue_test_email", "run_worker", "run_worker_until_failed"]


def queue_test_email(office, to="direktur@cvmaju.test", name="Budi Santoso"):
    """Queue the sample ``emails/test_message`` email for the given office."""
    return email_queue(
        template="test_message", to=to, context={"name": name, "link": LINK}, office=office
    )


def run_worker_until_failed(email):
    """With the mail server down, run the worker at each retry's due time until
    the message has used every attempt. Time is frozen between steps, so the
    stored timestamps are exact. Returns [(attempts, last_attempt_at,
    next_attempt_at)] after each run."""
    steps = []
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(settings.EMAIL_MAX_ATTEMPTS):
            run_worker()
            email.refresh_from_db()
            steps.append((email.attempts, email.last_attempt_at, email.next_attempt_at))
            if email.next_attempt_at is None:
                break
            traveller.move_to(email.next_attempt_at)
    return steps
