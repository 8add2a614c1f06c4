"""The deficiency deadline (issue 20): working days, two reminders, lapse, one extension."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from tests.conftest import login, make_user, run_worker
from tests.registrations.factories import ready_to_submit
from tests.registrations.test_review import decide, reason, url
from verifikasi.accounts.models import Role
from verifikasi.core.models import AuditEvent
from verifikasi.notifications.models import OutboundEmail
from verifikasi.offices.workdays import add_working_days
from verifikasi.registrations import deadlines, workflow
from verifikasi.registrations.models import Registration
from verifikasi.registrations.models import RegistrationStatus as S

WIB = ZoneInfo("Asia/Pontianak")
MON_7_DEC = datetime.date(2026, 12, 7)


def at(day: datetime.date, hour: int = 9):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), WIB),
                               tick=False)


@pytest.fixture
def sent_back(verifier_client, vendor, office):
    """A registration whose deficiencies went back to the vendor on Monday 7 December."""
    registration = ready_to_submit(vendor, office, status="submitted", review_round=1)
    with at(MON_7_DEC):
        for code in ("ktp", "nib"):
            decide(verifier_client, registration, code, "accepted")
        decide(verifier_client, registration, "npwp", "needs_fix",
               [reason(office, "unreadable")])
        verifier_client.post(url("staff_complete", registration))
    registration.refresh_from_db()
    assert registration.status == S.REVISION_REQUESTED
    return registration


def test_the_deadline_is_fifteen_working_days_and_the_email_counts_down(sent_back, office):
    expected = add_working_days(office, MON_7_DEC, 15)
    assert sent_back.revision_deadline == expected
    # Christmas (25 Dec) and its cuti bersama (24 Dec) are not counted.
    assert expected == datetime.date(2026, 12, 30)
    email = OutboundEmail.objects.get(template="revision_requested")
    assert "30 Desember 2026 (tinggal 15 hari kerja)" in email.body_text
    assert "gugur" in email.body_text


def test_reminders_go_out_three_and_one_working_day_before_once_each(sent_back, smtp_server):
    deadline = sent_back.revision_deadline  # Wed 30 Dec
    for day in (datetime.date(2026, 12, 22), datetime.date(2026, 12, 23)):
        with at(day):  # 3 working days left on Wed 23 (28, 29, 30): not yet on Tue 22
            deadlines.revision_deadlines_upkeep()
            run_worker()
    assert OutboundEmail.objects.filter(template="revision_deadline_reminder").count() == 1
    with at(datetime.date(2026, 12, 23), 15):  # the upkeep runs again: nothing new
        deadlines.revision_deadlines_upkeep()
        run_worker()
    with at(datetime.date(2026, 12, 29)):
        deadlines.revision_deadlines_upkeep()
        deadlines.revision_deadlines_upkeep()
        run_worker()
    reminders = OutboundEmail.objects.filter(template="revision_deadline_reminder") \
        .order_by("pk")
    assert reminders.count() == 2
    received = [m for r in reminders for m in smtp_server.for_email(r)]
    assert len(received) == 2
    assert "tinggal 3 hari kerja" in received[0].text
    assert "tinggal 1 hari kerja" in received[1].text
    assert all(m.rcpt_tos == [sent_back.vendor.email] for m in received)
    assert AuditEvent.objects.filter(action="registration.deadline_reminded").count() == 2
    sent_back.refresh_from_db()
    assert sent_back.status == S.REVISION_REQUESTED and sent_back.revision_deadline == deadline


def test_it_lapses_the_day_after_the_deadline_with_email_and_audit(sent_back, smtp_server):
    with at(sent_back.revision_deadline, 16):  # the last day: still open
        deadlines.revision_deadlines_upkeep()
        run_worker()
    sent_back.refresh_from_db()
    assert sent_back.status == S.REVISION_REQUESTED
    with at(datetime.date(2026, 12, 31), 8):
        deadlines.revision_deadlines_upkeep()
        run_worker()
    sent_back.refresh_from_db()
    assert sent_back.status == S.LAPSED
    assert sent_back.get_status_display() == "Gugur"
    event = AuditEvent.objects.get(action="registration.lapse")
    assert event.actor is None and event.details["from"] == S.REVISION_REQUESTED
    [email] = OutboundEmail.objects.filter(template="registration_lapsed")
    [message] = smtp_server.for_email(email)
    assert "gugur" in message.text
    # Closed: the vendor may register again for the same NPWP.
    assert not sent_back.is_open


def test_a_resubmission_in_time_never_lapses(sent_back):
    Registration.objects.filter(pk=sent_back.pk).update(status=S.SUBMITTED)
    assert deadlines.registration_lapse(registration_id=sent_back.pk) == "skipped"
    with at(datetime.date(2027, 1, 4)):
        assert deadlines.revision_deadlines_upkeep() == 0


def test_the_system_cannot_lapse_before_the_deadline(sent_back):
    with at(datetime.date(2026, 12, 30)):
        assert deadlines.registration_lapse(registration_id=sent_back.pk) == "skipped"
        with pytest.raises(workflow.WorkflowError) as refused:
            workflow.transition(sent_back, "lapse", actor=None)
    assert str(deadlines.ERR_NOT_PASSED) in refused.value.problems
    sent_back.refresh_from_db()
    assert sent_back.status == S.REVISION_REQUESTED


def extend(client, registration, days="5", reason_text="Notaris sedang cuti"):
    return client.post(reverse("staff_extend_deadline", args=[registration.code]),
                       {"days": days, "reason": reason_text}, follow=True)


def test_the_verifier_extends_once_with_a_reason(sent_back, verifier_client, verifier):
    with at(datetime.date(2026, 12, 28)):
        login(verifier_client, verifier)  # a session of three weeks ago has expired
        page = verifier_client.get(reverse("staff_review", args=[sent_back.code]))
        assert "Perpanjang batas waktu" in page.content.decode()
        response = extend(verifier_client, sent_back)
    # Wed 30 Dec + 5 working days: 31 Dec, 4, 6, 7, 8 Jan (1 Jan New Year, 5 Jan Isra Mikraj).
    assert "diperpanjang sampai 8 Januari 2027" in response.content.decode()
    sent_back.refresh_from_db()
    assert sent_back.revision_deadline == datetime.date(2027, 1, 8)
    assert sent_back.revision_deadline_extension_reason == "Notaris sedang cuti"
    event = AuditEvent.objects.get(action="registration.extend_deadline")
    assert event.details["reason"] == "Notaris sedang cuti"
    email = OutboundEmail.objects.get(template="revision_deadline_extended")
    assert "Notaris sedang cuti" in email.body_text

    with at(datetime.date(2026, 12, 29)):
        login(verifier_client, verifier)
        second = extend(verifier_client, sent_back, days="10", reason_text="Lagi")
    assert "hanya dapat diberikan satu kali" in second.content.decode()
    again = Registration.objects.get(pk=sent_back.pk)
    assert again.revision_deadline == sent_back.revision_deadline
    assert AuditEvent.objects.filter(action="registration.extend_deadline").count() == 1


@pytest.mark.parametrize(("days", "text", "message"), [
    ("5", "  ", "Tuliskan alasan"), ("0", "Alasan", "antara 1 dan 30"),
    ("abc", "Alasan", "antara 1 dan 30"), ("99999", "Alasan", "antara 1 dan 30"),
])
def test_a_bad_extension_is_refused_clearly_and_changes_nothing(
        sent_back, verifier_client, days, text, message):
    response = extend(verifier_client, sent_back, days=days, reason_text=text)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Registration.objects.get(pk=sent_back.pk).revision_deadline_extended_at is None


def test_no_one_outside_the_team_of_the_office_extends(sent_back, client, other_office):
    outsider = make_user("luar@lpse.test", Role.VERIFIER, other_office, totp=True)
    login(client, outsider)
    assert client.post(reverse("staff_extend_deadline", args=[sent_back.code]),
                       {"days": "5", "reason": "x"}).status_code == 404
    login(client, sent_back.vendor)
    assert client.post(reverse("staff_extend_deadline", args=[sent_back.code]),
                       {"days": "5", "reason": "x"}).status_code == 403
    assert Registration.objects.get(pk=sent_back.pk).revision_deadline_extended_at is None


def test_extending_is_post_only(sent_back, verifier_client):
    assert verifier_client.get(
        reverse("staff_extend_deadline", args=[sent_back.code])).status_code == 405


def test_the_vendor_home_shows_the_deadline_with_a_countdown(sent_back, client):
    with at(datetime.date(2026, 12, 28)):
        login(client, sent_back.vendor)
        html = client.get(reverse("home")).content.decode()
    assert "Batas waktu perbaikan" in html
    assert "30 Desember 2026" in html and "tinggal 2 hari kerja" in html


def test_a_lapsed_registration_says_so_and_a_new_one_may_start(sent_back, client):
    with at(datetime.date(2026, 12, 31)):
        assert deadlines.registration_lapse(registration_id=sent_back.pk) == "lapsed"
        login(client, sent_back.vendor)
        html = client.get(reverse("home")).content.decode()
    assert "Pendaftaran gugur" in html
    assert reverse("registration_new") in html
