"""Issue 20 in Chromium: the vendor's home counts down to the deficiency deadline, and the
verifier's queue shows it beside the service time, with overdue rows flagged and filtered."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, MOBILE, horizontal_overflow
from tests.browser.flows import login_staff, login_vendor
from tests.conftest import PASSWORD, TOTP_SECRET, make_user
from tests.registrations.factories import ready_to_submit
from tests.registrations.test_review import decide, reason, url
from verifikasi.offices.workdays import WorkCalendar
from verifikasi.registrations.deadlines import office_today
from verifikasi.registrations.models import Registration
from verifikasi.registrations.sla import due_date

pytestmark = pytest.mark.browser


def test_the_vendor_sees_the_countdown_and_the_queue_flags_the_overdue(
        new_page, server_lock, office, vendor, verifier, verifier_client, screenshot):
    calendar, today = WorkCalendar(office), office_today(office)
    deadline = calendar.add_working_days(today, 3)
    # The verifier sends the NPWP back (C.3); three working days are left of its deadline.
    sent_back = ready_to_submit(vendor, office, status="submitted", review_round=1)
    decide(verifier_client, sent_back, "ktp", "accepted")
    decide(verifier_client, sent_back, "nib", "accepted")
    decide(verifier_client, sent_back, "npwp", "needs_fix", [reason(office, "unreadable")])
    verifier_client.post(url("staff_complete", sent_back))
    Registration.objects.filter(pk=sent_back.pk, status="revision_requested").update(
        revision_deadline=deadline)
    late_vendor = make_user("terlambat@cv.test", full_name="Hendra Wijaya")
    late = ready_to_submit(late_vendor, office, status="submitted", review_round=1,
                           company_name="CV Sinar Kapuas", npwp="0927381930090000")
    since = today
    while calendar.working_days_between(since, today) < 7:
        since = since.fromordinal(since.toordinal() - 1)
    Registration.objects.filter(pk=late.pk).update(
        sla_running_since=since, sla_due_on=due_date(calendar, since, 5))

    phone = new_page(**MOBILE)
    login_vendor(phone, vendor.email, PASSWORD)
    phone.goto("/beranda/")
    card = phone.locator("#tenggat")
    expect(card.get_by_role("heading", name="Batas waktu perbaikan")).to_be_visible()
    expect(card).to_contain_text("tinggal 3 hari kerja")
    expect(phone.locator("#perbaikan")).to_contain_text("NPWP")
    assert horizontal_overflow(phone) == 0
    screenshot(phone, "23-tenggat")

    desk = new_page(**DESKTOP)
    login_staff(desk, verifier.email, PASSWORD, TOTP_SECRET)
    desk.goto("/verifikator/?status=all")
    queue = desk.locator("#queue-results")
    expect(queue.locator("tr.overdue")).to_have_count(1)
    expect(queue.locator("tr.overdue")).to_contain_text("Terlambat 2 hari kerja")
    expect(queue).to_contain_text("tinggal 3 hari kerja")
    desk.get_by_label("Terlambat saja").check()
    expect(queue.locator("tbody tr")).to_have_count(1)
    expect(queue.get_by_role("link", name="CV Sinar Kapuas")).to_be_visible()
