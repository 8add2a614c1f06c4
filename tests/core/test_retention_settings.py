"""The retention periods are the office's settings: safe when empty, refused when absurd."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from verifikasi.core.retention_policy import retention_days


def _form_data(client, office):
    url = reverse("admin:offices_office_change", args=[office.pk])
    form = client.get(url).context["adminform"].form
    return url, {name: form.initial.get(name) or "" for name in form.fields}


def test_empty_periods_are_the_safe_defaults(office, settings):
    settings.DOCUMENT_RETENTION_DAYS = 400
    assert retention_days("documents", office) == 400
    assert retention_days("outbox_body", office) == 90
    assert retention_days("ip_address", office) == 180
    assert retention_days("registration_record", office) == 3650
    office.retention_ip_days = 30
    assert retention_days("ip_address", office) == 30


def test_the_office_admin_sets_the_periods(office_admin_client, office):
    url, data = _form_data(office_admin_client, office)
    data.update(retention_outbox_body_days="60", retention_ip_days="90")

    response = office_admin_client.post(url, data)

    assert response.status_code == 302
    office.refresh_from_db()
    assert (office.retention_outbox_body_days, office.retention_ip_days) == (60, 90)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("retention_ip_days", "3", "Masa simpan paling sedikit 7 hari."),
    ("retention_outbox_body_days", "99999", "Masa simpan paling lama 3650 hari."),
    ("retention_rights_export_days", "0", "Masa simpan paling sedikit 1 hari."),
    ("retention_registration_days", "400",
     "Catatan pendaftaran harus disimpan sekurang-kurangnya selama dokumennya (1825 hari)."),
    ("retention_ip_days", "sembilan", "Masukkan keseluruhan angka bilangan."),
])
def test_a_bad_period_is_refused_in_indonesian_and_nothing_changes(
        office_admin_client, office, field, value, message):
    url, data = _form_data(office_admin_client, office)
    data.update({field: value, "phone": "(0534) 999999"})

    response = office_admin_client.post(url, data)

    assert response.status_code == 200
    assert message in response.content.decode()
    office.refresh_from_db()
    assert office.phone != "(0534) 999999" and getattr(office, field) is None


def test_the_model_refuses_a_record_period_shorter_than_the_documents(office):
    office.retention_document_days = 800
    office.retention_registration_days = 700
    with pytest.raises(ValidationError, match="dokumennya"):
        office.full_clean()
