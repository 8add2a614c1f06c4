"""The deficiency deadline's reminder (issue 20) also reaches an opted-in vendor on
WhatsApp, as the office's approved template with the deadline written the Indonesian way."""

import datetime

import pytest

from tests.conftest import run_worker
from tests.registrations.test_deadlines import at, sent_back  # noqa: F401 - the fixture
from tests.whatsapp.conftest import PHONE
from verifikasi.registrations import deadlines
from verifikasi.whatsapp.models import WhatsAppMessage


@pytest.mark.usefixtures("whatsapp_office", "opted_in")
def test_the_deadline_reminder_goes_out_as_its_template(sent_back, fake_whatsapp):  # noqa: F811
    run_worker()  # the deficiencies' own copy
    before = len(fake_whatsapp.sent())
    with at(datetime.date(2026, 12, 23)):  # 3 working days before Wed 30 Dec
        deadlines.revision_deadlines_upkeep()
        run_worker()
    row = WhatsAppMessage.objects.get(key="revision_deadline_reminder")
    assert row.to == PHONE
    [call] = fake_whatsapp.sent()[before:]
    template = call.json["template"]
    assert (template["name"], template["language"]) == ("verifikasi_batas_waktu_perbaikan",
                                                        {"code": "id"})
    assert [p["text"] for p in template["components"][0]["parameters"]] == [
        sent_back.director_name, sent_back.company_name, "Rabu, 30 Desember 2026",
        "http://testserver/pendaftaran/"]
