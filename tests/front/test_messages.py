"""Teks email (/staf/teks-email/): the office admin edits, previews and reverts the
texts of their own office; nobody else may, and bad input changes nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import assert_private_no_store, login, make_user
from verifikasi.accounts.models import Role
from verifikasi.core.models import AuditEvent
from verifikasi.notifications import office_templates as texts
from verifikasi.notifications.models import OfficeMessage

KEY = "documents_accepted"
EDIT = reverse("message_edit", args=[KEY])
GOOD = {"subject": "Dokumen {{ registration.company_name }} lengkap",
        "body": "Yth. {{ registration.director_name }},\nDokumen Anda lengkap.\n{{ home_url }}"}


def test_it_lists_every_email_and_says_whatsapp_is_off(office_admin_client, monkeypatch):
    monkeypatch.setattr(texts, "_whatsapp_provider", None)
    response = office_admin_client.get(reverse("message_list"))
    assert response.status_code == 200
    assert_private_no_store(response)
    page = response.content.decode()
    assert "Perbaikan dokumen diperlukan" in page and EDIT in page
    assert "WhatsApp belum diaktifkan." in page


def test_it_shows_the_whatsapp_template_names_when_a_provider_is_registered(
        office_admin_client, monkeypatch):
    monkeypatch.setattr(texts, "_whatsapp_provider", None)
    texts.whatsapp_names_provider(lambda office: [("Jadwal dikonfirmasi", "jadwal_ok_v2")])
    page = office_admin_client.get(reverse("message_list")).content.decode()
    assert "jadwal_ok_v2" in page and "WhatsApp belum diaktifkan." not in page


def test_the_form_starts_from_the_file_default(office_admin_client):
    page = office_admin_client.get(EDIT).content.decode()
    assert "Email ini memakai teks bawaan aplikasi." in page
    assert "Dokumen lengkap — jadwal verifikasi segera dikonfirmasi — " \
           "{{ registration.company_name }}" in page
    assert "{% load" not in page


def test_preview_shows_the_sample_data_and_saves_nothing(office_admin_client):
    response = office_admin_client.post(EDIT, {**GOOD, "aksi": "pratinjau"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dokumen CV Maju Jaya lengkap" in page and "Yth. Budi Santoso," in page
    assert not OfficeMessage.objects.exists()


def test_save_stores_the_text_shows_it_and_its_history(office_admin_client, office,
                                                       admin_user):
    response = office_admin_client.post(EDIT, {**GOOD, "aksi": "simpan"})
    assert response.status_code == 302
    row = OfficeMessage.objects.get(office=office, key=KEY)
    assert (row.subject, row.updated_by) == (GOOD["subject"], admin_user)
    page = office_admin_client.get(EDIT).content.decode()
    assert "Kantor ini memakai teks sendiri." in page
    assert "Riwayat perubahan" in page and admin_user.email in page
    assert "Dokumen CV Maju Jaya lengkap" in page  # the saved text, previewed
    event = AuditEvent.objects.get(action="office_message.saved")
    assert event.details["new"]["subject"] == GOOD["subject"]


@pytest.mark.parametrize(("body", "says"), [
    ("{% load i18n %}Halo", "tidak diizinkan"),
    ("{{ registration.vendor.email }}", "tidak tersedia untuk email ini"),
    ("{% for x in registration.company_name %}", "Penulisan templat salah"),
])
def test_a_bad_text_is_refused_with_a_clear_message(office_admin_client, body, says):
    for action in ("simpan", "pratinjau"):
        response = office_admin_client.post(EDIT, {"subject": "S", "body": body,
                                                   "aksi": action})
        assert response.status_code == 400
        assert says in response.content.decode()
    assert not OfficeMessage.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="office_message.").exists()


def test_revert_goes_back_to_the_default(office_admin_client, office, admin_user):
    texts.office_message_save(office=office, key=KEY, actor=admin_user, **GOOD)
    response = office_admin_client.post(reverse("message_revert", args=[KEY]))
    assert response.status_code == 302
    assert not OfficeMessage.objects.exists()
    assert AuditEvent.objects.filter(action="office_message.reverted").count() == 1
    assert office_admin_client.get(reverse("message_revert", args=[KEY])).status_code == 405


def test_an_unknown_email_is_a_404(office_admin_client):
    assert office_admin_client.get(reverse("message_edit", args=["tidak-ada"])).status_code \
        == 404
    assert office_admin_client.post(reverse("message_revert", args=["incident_notice"])) \
        .status_code == 404


@pytest.mark.parametrize("who", ["verifier", "coordinator", "vendor"])
def test_only_the_office_admin_may_edit(request, office, admin_user, who):
    texts.office_message_save(office=office, key=KEY, actor=admin_user, **GOOD)
    client = login(Client(), request.getfixturevalue(who))
    for response in (client.get(reverse("message_list")), client.get(EDIT),
                     client.post(EDIT, {"subject": "X", "body": "Y", "aksi": "simpan"}),
                     client.post(reverse("message_revert", args=[KEY]))):
        assert response.status_code == 403
    assert OfficeMessage.objects.get(key=KEY).subject == GOOD["subject"]


def test_another_offices_admin_edits_only_their_own_office(office, other_office, admin_user):
    texts.office_message_save(office=office, key=KEY, actor=admin_user, **GOOD)
    other_admin = make_user("admin@sambas.test", Role.ADMIN, other_office, totp=True,
                            is_staff=True)
    client = login(Client(), other_admin)
    page = client.get(EDIT).content.decode()
    assert "Email ini memakai teks bawaan aplikasi." in page  # not Ketapang's text
    assert GOOD["subject"] not in page
    client.post(reverse("message_revert", args=[KEY]))
    client.post(EDIT, {"subject": "Sambas", "body": "Teks Sambas", "aksi": "simpan"})
    assert OfficeMessage.objects.get(office=office).subject == GOOD["subject"]
    assert OfficeMessage.objects.get(office=other_office).subject == "Sambas"


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(reverse("message_list"))
    assert response.status_code == 302 and "login" in response["Location"]
