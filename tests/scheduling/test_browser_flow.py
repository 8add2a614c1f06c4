"""B.8 end to end in Chromium: the vendor proposes two times on a phone; the coordinator,
logged in with password and TOTP, offers another (B.8.b); the vendor accepts it; both
see the confirmed time.

Playwright's sync API allows one instance per thread and tests/browser keeps one for
the whole session, so this test drives its own Chromium from a thread of its own,
with the same Content-Security-Policy and console checks as tests/browser.
"""

import threading

import pytest
from django.db import connections
from django.utils import translation
from playwright.sync_api import expect, sync_playwright

from tests.browser.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    CSP_LISTENER,
    DESKTOP,
    MOBILE,
    BrowserProblems,
    horizontal_overflow,
)
from tests.browser.flows import login_staff
from tests.conftest import PASSWORD, TOTP_SECRET
from tests.scheduling.factories import accepted
from verifikasi.registrations.models import Registration
from verifikasi.scheduling.selectors import appointment_for
from verifikasi.scheduling.slots import format_slot

pytestmark = pytest.mark.browser


@pytest.fixture
def server(live_server, transactional_db, django_db_serialized_rollback):
    return live_server


def run_in_chromium(scenario, timeout=300):
    """Run ``scenario(browser)`` with a Chromium of its own, in its own thread."""
    outcome = {}

    def target():
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                                     args=CHROMIUM_ARGS, headless=True)
                try:
                    scenario(browser)
                finally:
                    browser.close()
        except BaseException as e:  # re-raised in the test's thread
            outcome["error"] = e
        finally:
            connections.close_all()

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        pytest.fail("the browser scenario did not finish in time")
    if "error" in outcome:
        raise outcome["error"]


def open_page(browser, base_url, problems, options):
    context = browser.new_context(base_url=base_url, **options)
    context.set_default_timeout(15_000)
    context.add_init_script(CSP_LISTENER)
    context.on("page", problems.watch)
    return context.new_page()


def log_in(page, email, *, totp=False):
    if totp:
        login_staff(page, email, PASSWORD, TOTP_SECRET)
        return
    page.goto("/akun/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main").get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url("**/beranda/")


def confirmed_label(code) -> str:
    appointment = appointment_for(Registration.objects.get(code=code))
    office = appointment.office
    with translation.override("id"):
        return format_slot(appointment.start, appointment.end, office.tzinfo,
                           office.timezone_label)


def test_vendor_proposes_coordinator_offers_vendor_accepts(server, vendor, coordinator,
                                                           office):
    registration_documents_accepted = accepted(vendor, office)
    code = registration_documents_accepted.code
    problems = BrowserProblems()

    def scenario(browser):
        # The vendor, on a phone, proposes two times (B.8).
        phone = open_page(browser, server.url, problems, MOBILE)
        log_in(phone, vendor.email)
        phone.goto(f"/jadwal/{code}/usulan/")
        expect(phone.get_by_role("heading", level=1)).to_have_text("Usulan jadwal verifikasi")
        first_day = phone.locator("details.slot-day[open]").first
        chips = first_day.locator(".slot-chip input")
        picked = [chips.nth(i).get_attribute("value") for i in (0, 1)]
        for i in (0, 1):
            chips.nth(i).check()
        assert horizontal_overflow(phone) == 0
        box = first_day.locator(".slot-chip").first.bounding_box()
        assert box["height"] >= 44  # big enough to tap
        phone.get_by_role("button", name="Simpan usulan jadwal").click()
        expect(phone.locator(".msg-success")).to_contain_text("Usulan jadwal verifikasi")

        # The coordinator (password + TOTP) sees them and offers another time (B.8.b).
        desk = open_page(browser, server.url, problems, DESKTOP)
        log_in(desk, coordinator.email, totp=True)
        desk.goto(f"/jadwal/staf/{code}/")
        expect(desk.get_by_role("button", name="Konfirmasi waktu ini")).to_have_count(2)
        desk.locator("details#tawarkan > summary").click()
        offer = desk.locator("details#tawarkan .slot-chip input")
        other = next(offer.nth(i) for i in range(offer.count())
                     if offer.nth(i).get_attribute("value") not in picked)
        other.check()
        desk.get_by_role("button", name="Kirim jadwal pengganti").click()
        expect(desk.locator(".msg-success")).to_contain_text("Jadwal pengganti dikirim")

        # The vendor accepts the substitute.
        phone.goto(f"/jadwal/{code}/")
        phone.locator("input[name=start]").first.check()
        phone.get_by_role("button", name="Terima jadwal ini").click()
        expect(phone.locator(".msg-success")).to_contain_text("Jadwal verifikasi terkonfirmasi")

        # Both see the confirmed time.
        when = confirmed_label(code)
        phone.goto(f"/jadwal/{code}/")
        expect(phone.locator(".appointment-when")).to_have_text(when)
        expect(phone.locator("time[data-countdown]")).to_contain_text("lagi")
        assert horizontal_overflow(phone) == 0
        desk.goto(f"/jadwal/staf/{code}/")
        expect(desk.locator("#terjadwal .appointment-when")).to_have_text(when)
        desk.goto("/jadwal/staf/kalender/?minggu=" + when_date(code))
        expect(
            desk.get_by_role("link", name=registration_documents_accepted.company_name)
        ).to_be_visible()

    run_in_chromium(scenario)
    assert problems.unexpected() == []
    registration_documents_accepted.refresh_from_db()
    assert registration_documents_accepted.status == "scheduled"


def when_date(code) -> str:
    appointment = appointment_for(Registration.objects.get(code=code))
    return appointment.start.astimezone(appointment.office.tzinfo).date().isoformat()
