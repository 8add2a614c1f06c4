"""The vendor's opt-in page, the Admin LPSE's settings, the outbox and /healthz (issue 20)."""

import io
import json
import zipfile

import pytest
from django.db import connection
from django.urls import reverse

from tests.conftest import assert_private_no_store, run_worker
from tests.fakes.whatsapp import ACCESS_TOKEN, APP_SECRET
from tests.whatsapp.conftest import PHONE
from tests.whatsapp.test_whatsapp_delivery import queue_revision_email
from verifikasi.core.models import AuditEvent
from verifikasi.privacy import exports
from verifikasi.whatsapp.models import WhatsAppContact, WhatsAppMessage, WhatsAppSettings

URL = "/notifikasi/whatsapp/"


class TestVendorPage:
    def test_the_url_is_the_documented_one(self):
        assert reverse("whatsapp_contact") == URL

    def test_it_shows_the_choice_privately(self, vendor_client):
        response = vendor_client.get(URL)
        assert response.status_code == 200
        assert "Pemberitahuan WhatsApp" in response.content.decode()
        assert_private_no_store(response)

    def test_opting_in_stores_e164_and_is_audited(self, vendor_client, vendor):
        response = vendor_client.post(URL, {"phone": "0812-3456-7890", "opted_in": "on"})
        assert response.status_code == 302
        contact = WhatsAppContact.objects.get(user=vendor)
        assert (contact.phone, contact.opted_in) == (PHONE, True)
        assert contact.opted_in_at is not None
        event = AuditEvent.objects.get(action="whatsapp.opted_in")
        assert event.details == {"phone": "+62812*****890"}
        assert PHONE in vendor_client.get(URL).content.decode()

    def test_opting_out_keeps_the_number_and_stops_it(self, vendor_client, vendor):
        vendor_client.post(URL, {"phone": "+62 812 3456 7890", "opted_in": "on"})
        vendor_client.post(URL, {"phone": "+62 812 3456 7890"})
        contact = WhatsAppContact.objects.get(user=vendor)
        assert contact.opted_in is False and contact.opted_out_at is not None
        assert AuditEvent.objects.filter(action="whatsapp.opted_out").count() == 1

    def test_clearing_the_number_when_opting_out_deletes_it(self, vendor_client, vendor):
        vendor_client.post(URL, {"phone": "0812 3456 7890", "opted_in": "on"})
        response = vendor_client.post(URL, {"phone": ""})
        assert response.status_code == 302
        assert not WhatsAppContact.objects.filter(user=vendor).exists()
        assert AuditEvent.objects.filter(action="whatsapp.opted_out").count() == 1

    def test_data_saya_shows_the_number_and_its_choice(self, vendor_client):
        vendor_client.post(URL, {"phone": "0812 3456 7890", "opted_in": "on"})
        html = vendor_client.get(reverse("privacy_my_data")).content.decode()
        assert PHONE in html and "bersedia menerima pemberitahuan" in html

    @pytest.mark.parametrize("phone, error", [
        ("12345", "Nomor WhatsApp tidak valid"),
        ("+1 202 555 0143", "Nomor WhatsApp tidak valid"),
        ("(0561) 733 500", "Nomor WhatsApp tidak valid"),  # a landline cannot get WhatsApp
        ("", "Isi nomor WhatsApp"),
        ("x" * 40, "paling banyak"),
    ])
    def test_a_bad_number_is_a_clear_error_and_changes_nothing(self, vendor_client, phone,
                                                               error):
        response = vendor_client.post(URL, {"phone": phone, "opted_in": "on"})
        assert response.status_code == 200
        assert error in response.content.decode()
        assert not WhatsAppContact.objects.exists()
        assert not AuditEvent.objects.filter(action__startswith="whatsapp.").exists()

    def test_staff_and_strangers_do_not_get_the_page(self, verifier_client, client):
        assert verifier_client.get(URL).status_code == 403
        client.logout()
        assert client.get(URL).status_code == 302


@pytest.fixture
def settings_form(office):
    data = {"office": office.pk, "enabled": "on", "phone_number_id": "1098765",
            "access_token": ACCESS_TOKEN, "app_secret": APP_SECRET, "verify_token": "vt",
            "api_base_url": "https://graph.facebook.com/v21.0", "language_code": "id",
            "template_certificate_issued": "lulus_ketapang"}
    return data


class TestAdmin:
    def test_secrets_are_encrypted_at_rest_and_never_shown_back(
            self, office_admin_client, office, settings_form):
        response = office_admin_client.post(reverse("admin:whatsapp_whatsappsettings_add"),
                                            settings_form)
        assert response.status_code == 302, response.content.decode()[:2000]
        saved = WhatsAppSettings.objects.get(office=office)
        assert (saved.access_token, saved.app_secret) == (ACCESS_TOKEN, APP_SECRET)
        assert saved.template_names == {"certificate_issued": "lulus_ketapang"}
        with connection.cursor() as cursor:
            cursor.execute("SELECT access_token, app_secret FROM whatsapp_whatsappsettings")
            raw = cursor.fetchone()
        assert ACCESS_TOKEN not in raw[0] and APP_SECRET not in raw[1]
        page = office_admin_client.get(
            reverse("admin:whatsapp_whatsappsettings_change", args=[saved.pk]))
        html = page.content.decode()
        assert ACCESS_TOKEN not in html and APP_SECRET not in html
        assert "lulus_ketapang" in html and "verifikasi_perbaikan_dokumen" in html

    def test_a_secret_left_empty_is_kept(self, office_admin_client, office, settings_form):
        office_admin_client.post(reverse("admin:whatsapp_whatsappsettings_add"), settings_form)
        saved = WhatsAppSettings.objects.get(office=office)
        office_admin_client.post(
            reverse("admin:whatsapp_whatsappsettings_change", args=[saved.pk]),
            {**settings_form, "access_token": "", "app_secret": ""})
        saved.refresh_from_db()
        assert (saved.access_token, saved.app_secret) == (ACCESS_TOKEN, APP_SECRET)

    def test_it_refuses_to_enable_without_credentials(self, office_admin_client,
                                                      settings_form):
        response = office_admin_client.post(
            reverse("admin:whatsapp_whatsappsettings_add"),
            {**settings_form, "access_token": ""})
        assert response.status_code == 200
        assert "isi Phone number ID, access token dan app secret" in response.content.decode()
        assert not WhatsAppSettings.objects.exists()

    @pytest.mark.usefixtures("whatsapp_office", "opted_in")
    def test_the_admin_resends_a_failed_message(self, office_admin_client, registration,
                                                fake_whatsapp):
        fake_whatsapp.fail_next(400)
        queue_revision_email(registration)
        run_worker()
        row = WhatsAppMessage.objects.get()
        response = office_admin_client.post(
            reverse("admin:whatsapp_whatsappmessage_changelist"),
            {"action": "resend", "_selected_action": [row.pk]})
        assert response.status_code == 302
        run_worker()
        row.refresh_from_db()
        assert row.status == "accepted"
        assert AuditEvent.objects.filter(action="whatsapp.resent").count() == 1


@pytest.mark.usefixtures("whatsapp_office", "opted_in")
def test_the_demo_outbox_lists_the_copies_with_their_status(settings, registration,
                                                            verifier_client, fake_whatsapp):
    settings.DEMO_MODE = True
    queue_revision_email(registration)
    run_worker()
    html = verifier_client.get(reverse("outbox")).content.decode()
    assert "verifikasi_perbaikan_dokumen" in html and "Diterima WhatsApp" in html


def test_healthz_says_whether_whatsapp_is_configured(client, office, fake_whatsapp):
    run_worker()
    line = client.get(reverse("healthz")).json()["checks"]["whatsapp"]
    assert line == {"ok": True, "configured": False, "offices": 0, "sending": 0,
                    "last_failure": None, "last_failure_status": None}
    fake_whatsapp.configure(office)
    line = client.get(reverse("healthz")).json()["checks"]["whatsapp"]
    assert line["configured"] is True and line["offices"] == 1


def test_the_copy_of_one_s_data_has_the_whatsapp_number(vendor, office):
    WhatsAppContact.objects.create(user=vendor, phone=PHONE, opted_in=True)
    export = exports.data_export_request(user=vendor, office=office)
    run_worker()
    export.refresh_from_db()
    with export.file.open("rb") as fh:
        data = json.loads(zipfile.ZipFile(io.BytesIO(fh.read())).read("data.json"))
    assert data["account"]["whatsapp"]["phone"] == PHONE
    assert data["account"]["whatsapp"]["opted_in"] is True
