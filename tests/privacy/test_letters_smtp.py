"""The decision letter and the head's reminder leave through the outbox to a real SMTP server."""

from datetime import timedelta

import time_machine

from tests.conftest import run_worker
from verifikasi.privacy import requests
from verifikasi.privacy.models import RequestDecision, RequestKind


def test_the_decision_letter_reaches_the_vendor_as_stored(
        smtp_server, vendor, office, registration, verifier):
    dr = requests.data_request_file(user=vendor, office=office, kind=RequestKind.DELETION,
                                    registration=registration)
    requests.data_request_decide(data_request=dr, actor=verifier,
                                 decision=RequestDecision.ACCEPTED,
                                 reason="Verifikasi belum selesai.")
    run_worker()
    dr.refresh_from_db()
    [message] = smtp_server.for_email(dr.letter_email)
    assert message.rcpt_tos == [vendor.email]
    assert message["Subject"] == dr.letter_subject
    assert "Verifikasi belum selesai." in message.text
    assert "Dihapus sekarang" in message.text
    assert message["Reply-To"] == office.reply_to_email


def test_the_head_reminder_is_sent_once(smtp_server, vendor, office, registration, coordinator):
    dr = requests.data_request_file(user=vendor, office=office, kind=RequestKind.CORRECTION,
                                    registration=registration, field="nib",
                                    details="NIB salah satu digit")
    with time_machine.travel(dr.deadline - timedelta(hours=5), tick=False):
        requests.data_requests_remind()
        requests.data_requests_remind()
        run_worker()
    # (the worker's upkeep also mails the head the daily audit anchor)
    received = [m for m in smtp_server.to(coordinator.email)
                if "permintaan data pribadi" in m["Subject"]]
    assert len(received) == 1
    assert "Perbaikan data" in received[0]["Subject"]
