"""The public Standar Pelayanan and its editing by the office admin."""

import pytest
from django.urls import reverse

from tests.conftest import login, make_user
from verifikasi.accounts.models import Role
from verifikasi.core.models import AuditEvent
from verifikasi.survey.models import ServiceStandard

VALID = {
    "legal_basis": "UU 25/2009", "requirements": "KTP\nNPWP\nNIB",
    "procedure": "Unggah, verifikasi, tanda lulus", "service_days": "10",
    "cost": "Tidak dipungut biaya", "product": "Tanda Lulus Verifikasi",
    "complaints": "Email tim verifikator", "facilities": "", "competence": "",
}


def test_the_default_standard_comes_from_the_procedure_and_lampiran_1(client, office):
    response = client.get(reverse("survey_standard"))
    assert response.status_code == 200
    page = response.content.decode()
    for words in ("Tidak dipungut biaya", f"{office.sla_working_days} hari kerja",
                  "KTP ASLI Direksi", "NPWP",
                  "Surat Kuasa", "SP4N-LAPOR!", 'href="https://www.lapor.go.id"',
                  office.reply_to_email, "Tanda Lulus Verifikasi", "dokumen asli"):
        assert words in page, words
    assert not ServiceStandard.objects.exists()  # reading writes nothing


def test_each_office_has_its_own_page(client, office, other_office):
    page = client.get(reverse("survey_standard_office", args=["sambas"])).content.decode()
    assert "LPSE Kabupaten Sambas" in page and "lpse@sambas.test" in page
    assert client.get(reverse("survey_standard_office", args=["tidak-ada"])).status_code == 404


def test_the_landing_page_links_to_it(client, office):
    page = client.get(reverse("landing")).content.decode()
    assert reverse("survey_standard") in page
    assert reverse("survey_public") in page


def test_the_office_admin_edits_it_and_the_change_is_audited(admin_client, client, office):
    assert admin_client.get(reverse("survey_standard_edit")).status_code == 200
    response = admin_client.post(reverse("survey_standard_edit"), VALID)
    assert response.status_code == 302
    standard = ServiceStandard.objects.get(office=office)
    assert (standard.service_days, standard.requirements) == (10, "KTP\nNPWP\nNIB")
    office.refresh_from_db()
    assert office.sla_working_days == 10  # the queue's SLA clock counts the published time
    event = AuditEvent.objects.get(action="survey.service_standard_changed")
    assert event.actor.role == Role.ADMIN and "service_days" in event.details["fields"]
    page = client.get(reverse("survey_standard")).content.decode()
    assert "10 hari kerja" in page and "<li>NPWP</li><li>NIB</li>" in page
    assert "SP4N-LAPOR!" in page  # the national channel stays, whatever the text says


@pytest.mark.parametrize("change, message", [
    ({"service_days": "0"}, "paling sedikit 1 hari kerja"),
    ({"service_days": "91"}, "paling lama 90 hari kerja"),
    ({"service_days": "dua"}, "angka bilangan"),
    ({"requirements": ""}, "tidak boleh kosong"),
    ({"cost": "x" * 201}, "paling banyak 200"),
    ({"procedure": "x" * 5001}, "paling banyak 5000"),
])
def test_bad_input_is_refused_in_indonesian_and_changes_nothing(admin_client, change, message):
    response = admin_client.post(reverse("survey_standard_edit"), {**VALID, **change})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ServiceStandard.objects.exists()
    assert not AuditEvent.objects.filter(action="survey.service_standard_changed").exists()


def test_only_the_office_admin_may_edit(client, coordinator, verifier, vendor, office):
    for user in (coordinator, verifier, vendor):
        assert login(client, user).get(reverse("survey_standard_edit")).status_code == 403
        assert login(client, user).post(reverse("survey_standard_edit"), VALID).status_code \
            == 403
    assert not ServiceStandard.objects.exists()


def test_an_admin_edits_only_their_own_offices_standard(client, office, other_office):
    other_admin = make_user("admin@sambas.test", Role.ADMIN, other_office, totp=True,
                            is_staff=True)
    login(client, other_admin).post(reverse("survey_standard_edit"), VALID)
    assert list(ServiceStandard.objects.values_list("office__code", flat=True)) == ["sambas"]
    page = client.get(reverse("survey_standard")).content.decode()
    assert f"{office.sla_working_days} hari kerja" in page  # Ketapang's page is unchanged
    office.refresh_from_db()
    other_office.refresh_from_db()
    assert (office.sla_working_days, other_office.sla_working_days) == (5, 10)
