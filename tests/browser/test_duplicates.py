"""Issue 20 in Chromium: the duplicate card on the verifier's review screen.

A registration whose NPWP was used before under another company name (rejected) in this
office, and by a registration at another office: the card shows the flags, links the
office's own registration and says of the other office only where, status and date.
Screenshot ``21-duplikat``.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP
from tests.browser.flows import login_staff
from tests.conftest import PASSWORD, TOTP_SECRET, make_user
from tests.registrations.factories import make_registration

pytestmark = pytest.mark.browser


def test_the_verifier_sees_other_registrations_with_the_same_npwp(
        new_page, server_lock, office, other_office, vendor, verifier, screenshot):
    registration = make_registration(vendor, office, status="submitted", review_round=1)
    earlier = make_registration(make_user("lama@cvmaju.test"), office, status="rejected",
                                company_name="CV Maju Jaya Abadi")
    make_registration(make_user("sambas@cvmaju.test"), other_office, status="completed",
                      company_name="CV Rahasia Sambas", director_nik="6104014507850002")

    desk = new_page(**DESKTOP)
    login_staff(desk, verifier.email, PASSWORD, TOTP_SECRET)
    desk.goto(f"/verifikator/{registration.code}/")
    card = desk.locator("#duplikat")
    expect(card.get_by_role("heading", level=2)).to_have_text(
        "Pendaftaran lain dengan identitas sama")
    expect(card).to_contain_text("NPWP yang sama dipakai dengan nama perusahaan lain "
                                 "(di kantor ini: CV Maju Jaya Abadi; 1 pendaftaran di kantor "
                                 "lain)")
    expect(card).to_contain_text("Perusahaan ini pernah ditolak: LPSE Kabupaten Ketapang")
    expect(card).to_contain_text("Terdaftar di LPSE Kabupaten Sambas, Selesai,")
    expect(card).not_to_contain_text("CV Rahasia Sambas")
    card.scroll_into_view_if_needed()
    screenshot(desk, "21-duplikat", full_page=False)

    card.get_by_role("link", name="CV Maju Jaya Abadi").click()
    expect(desk).to_have_url(f"{desk.url.split('/verifikator/')[0]}/verifikator/"
                             f"{earlier.code}/")
    expect(desk.get_by_role("heading", level=1)).to_have_text("CV Maju Jaya Abadi")
