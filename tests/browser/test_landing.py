"""The public landing page in a real browser: fits a phone, switches language, no CSP trouble."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import horizontal_overflow

TITLE_ID = "Verifikasi dokumen pendaftaran akun SPSE secara daring"
TITLE_EN = "Online verification of SPSE account registration documents"


@pytest.mark.browser
def test_it_fits_a_phone_and_switches_language_both_ways(mobile_page, screenshot):
    page = mobile_page
    page.goto("/")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(TITLE_ID)
    expect(page.locator("html")).to_have_attribute("lang", "id")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert horizontal_overflow(page) == 0
    expect(page.locator(".qr-code svg")).to_be_visible()
    screenshot(page, "landing-mobile")

    page.get_by_role("button", name="English").click()
    expect(heading).to_have_text(TITLE_EN)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.get_by_role("button", name="Bahasa Indonesia").click()
    expect(heading).to_have_text(TITLE_ID)
    expect(page.locator("html")).to_have_attribute("lang", "id")


@pytest.mark.browser
def test_its_buttons_are_big_enough_to_tap(mobile_page):
    page = mobile_page
    page.goto("/")
    for name in ("Daftar sekarang", "Masuk"):
        box = page.locator(".hero").get_by_role("link", name=name, exact=True).bounding_box()
        assert box["height"] >= 44, name
    box = page.get_by_role("button", name="English").bounding_box()
    assert box["height"] >= 36


@pytest.mark.browser
def test_it_shows_the_checklist_as_cards_on_a_phone(mobile_page):
    page = mobile_page
    page.goto("/#lampiran-1")
    rows = page.locator("table.checklist tbody tr")
    expect(rows).to_have_count(7)
    first = rows.first.bounding_box()
    assert first["width"] <= 360
    expect(rows.first.locator("th")).to_have_text("KTP")


@pytest.mark.browser
def test_it_puts_the_qr_code_beside_the_text_on_a_desktop(desktop_page, screenshot):
    page = desktop_page
    page.goto("/")
    heading = page.get_by_role("heading", level=1).bounding_box()
    qr = page.locator(".qr-code svg").bounding_box()
    assert qr["width"] >= 150
    assert qr["x"] > heading["x"] + heading["width"] / 2  # to the right, not below
    assert horizontal_overflow(page) == 0
    screenshot(page, "landing-desktop", full_page=False)


@pytest.mark.browser
def test_the_poster_link_serves_a_pdf(desktop_page):
    page = desktop_page
    page.goto("/")
    href = page.get_by_role("link", name="Unduh poster A4 (PDF)").get_attribute("href")
    response = page.request.get(href)
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")


@pytest.mark.browser
def test_the_signup_and_login_pages_fit_a_phone_in_our_shell(mobile_page):
    page = mobile_page
    page.goto("/")
    page.locator(".hero").get_by_role("link", name="Daftar sekarang").click()
    expect(page.locator(".topbar")).to_be_visible()
    expect(page.locator("input[type=email]")).to_be_visible()
    assert horizontal_overflow(page) == 0
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign Up")
    page.get_by_role("link", name="Sign in").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign In")
    assert horizontal_overflow(page) == 0
