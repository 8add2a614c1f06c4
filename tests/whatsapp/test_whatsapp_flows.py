"""The copies come from the real acts: the verifier's deficiencies (C.3) reach an
opted-in vendor on WhatsApp, with the email, in one transaction (issue 20)."""

import pytest
from django.core.management import call_command

from tests.conftest import run_worker
from tests.registrations.factories import ready_to_submit
from tests.registrations.test_review import decide, reason, url
from tests.whatsapp.conftest import PHONE
from verifikasi.accounts.models import User
from verifikasi.notifications.models import OutboundEmail
from verifikasi.whatsapp.models import MessageStatus, WhatsAppContact, WhatsAppMessage


@pytest.mark.usefixtures("whatsapp_office", "opted_in")
def test_sending_back_deficiencies_also_goes_out_on_whatsapp(
        verifier_client, vendor, office, fake_whatsapp):
    registration = ready_to_submit(vendor, office, status="submitted", review_round=1)
    decide(verifier_client, registration, "ktp", "accepted")
    decide(verifier_client, registration, "nib", "accepted")
    decide(verifier_client, registration, "npwp", "needs_fix", [reason(office, "unreadable")])
    verifier_client.post(url("staff_complete", registration))
    registration.refresh_from_db()
    assert registration.status == "revision_requested"

    row = WhatsAppMessage.objects.get()
    assert row.email == OutboundEmail.objects.get(template="revision_requested")
    assert (row.to, row.key) == (PHONE, "revision_requested")
    run_worker()
    [call] = fake_whatsapp.sent()
    template = call.json["template"]
    assert (template["name"], template["language"]) == ("verifikasi_perbaikan_dokumen",
                                                        {"code": "id"})
    assert [p["text"] for p in template["components"][0]["parameters"]] == [
        registration.director_name, registration.company_name,
        "http://testserver/pendaftaran/"]
    row.refresh_from_db()
    assert row.status == MessageStatus.ACCEPTED


def test_the_demo_vendor_is_opted_in_and_nothing_is_configured(db, settings):
    settings.DEMO_MODE = True
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)  # idempotent
    contact = WhatsAppContact.objects.get(user=User.objects.get(email="vendor@demo.test"))
    assert contact.opted_in and contact.phone == PHONE
