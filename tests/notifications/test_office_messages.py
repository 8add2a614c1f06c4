"""An office's own email texts: checked before they are stored, sent in place of the
file default through the real outbox and SMTP, for that office only; reverted; audited."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from tests.conftest import run_worker
from tests.registrations.factories import make_registration
from verifikasi.core.event_text import known
from verifikasi.core.models import AuditEvent
from verifikasi.notifications import office_templates as texts
from verifikasi.notifications.message_catalog import CATALOG, NOT_EDITABLE, variables_of
from verifikasi.notifications.models import OfficeMessage
from verifikasi.notifications.office_defaults import default_text
from verifikasi.registrations.models import RegistrationStatus
from verifikasi.registrations.review import registration_reject

EMAILS = Path(settings.BASE_DIR) / "verifikasi" / "templates" / "emails"
SUBJECT = "Mohon maaf, {{ registration.company_name }}"
BODY = ("Yth. {{ registration.director_name }},\n\nPendaftaran {{ registration.company_name }} "
        "ditolak.{% if reason %} Alasan: {{ reason }}{% endif %}\n\n{{ office.name }}")


def _reject(vendor, office, coordinator, reason="NIB <palsu> & dicabut"):
    registration = make_registration(vendor, office, status=RegistrationStatus.SUBMITTED,
                                     company_name="CV Maju & Jaya")
    registration_reject(registration=registration, actor=coordinator, reason=reason)
    run_worker()
    return registration


def test_it_catalogues_every_email_template():
    folders = {p.name for p in EMAILS.iterdir() if p.is_dir()}
    missing = folders - set(CATALOG) - set(NOT_EDITABLE)
    assert not missing, f"emails without a catalog entry: {sorted(missing)}"
    assert not (set(CATALOG) - folders), "catalog entries without templates"
    assert not set(CATALOG) & set(NOT_EDITABLE)


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_it_documents_only_variables_the_default_files_use(key):
    """Each documented variable (beyond the common ones) is one the file default uses,
    and a text using every documented variable passes the check and previews."""
    files = "".join((EMAILS / key / name).read_text() for name in ("subject.txt", "body.txt"))
    message = CATALOG[key]
    for var in message.variables:
        assert var.name.split(".")[0] in files, (key, var.name)
    lines = []
    for var in variables_of(message):
        if var.fields:
            lines.append("{% for x in " + var.name + " %}" + "".join(
                "{{ x." + f + " }}" for f in var.fields) + "{% endfor %}")
        elif isinstance(var.sample, list):
            lines.append("{% for x in " + var.name + " %}{{ x }}{% endfor %}")
        else:
            lines.append("{{ " + var.name + " }}")
    preview = texts.message_preview(office=None, key=key, subject="S", body="\n".join(lines))
    assert preview["body_text"].strip()


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_the_file_default_converts_into_an_editable_text_that_passes_the_check(key):
    start = default_text(key)
    assert start["subject"] and start["body"], key
    assert "{% load" not in start["body"] and "translate" not in start["body"]
    preview = texts.message_preview(office=None, key=key, **start)
    assert preview["subject"] and preview["body_text"].strip()


def _not_survey(mails):
    # A rejection also invites the vendor to the satisfaction survey (a second email).
    return [m for m in mails if not m["Subject"].startswith("Survei kepuasan")]

def test_the_next_email_uses_the_office_text_and_other_offices_keep_the_default(
        smtp_server, office, other_office, vendor, other_vendor, coordinator, admin_user):
    texts.office_message_save(office=office, key="registration_rejected", subject=SUBJECT,
                              body=BODY, actor=admin_user)

    _reject(vendor, office, coordinator)
    [mail] = _not_survey(smtp_server.to(vendor.email))
    assert mail["Subject"] == "Mohon maaf, CV Maju & Jaya"  # plain text: not escaped
    assert "Pendaftaran CV Maju & Jaya ditolak. Alasan: NIB <palsu> & dicabut" in mail.text
    assert "LPSE Kabupaten Ketapang" in mail.text
    # The HTML part escapes every value, in the frame of the file defaults.
    assert "CV Maju &amp; Jaya" in mail.html and "NIB &lt;palsu&gt;" in mail.html
    assert "<palsu>" not in mail.html
    assert "Email ini dikirim otomatis" in mail.html

    other = make_registration(other_vendor, other_office, status=RegistrationStatus.SUBMITTED)
    other_head = coordinator.__class__.objects.create_user(
        "ketua@sambas.test", "x", role=coordinator.role, office=other_office)
    registration_reject(registration=other, actor=other_head, reason="Tidak lengkap")
    run_worker()
    [default] = _not_survey(smtp_server.to(other_vendor.email))
    assert default["Subject"].startswith("Pendaftaran verifikasi ditolak")


def test_revert_brings_back_the_file_default_and_both_are_audited(
        smtp_server, office, vendor, coordinator, admin_user):
    texts.office_message_save(office=office, key="registration_rejected", subject=SUBJECT,
                              body=BODY, actor=admin_user)
    texts.office_message_save(office=office, key="registration_rejected",
                              subject="Ditolak: {{ registration.company_name }}", body=BODY,
                              actor=admin_user)
    assert texts.office_message_revert(office=office, key="registration_rejected",
                                       actor=admin_user)
    assert not texts.office_message_revert(office=office, key="registration_rejected",
                                           actor=admin_user)  # nothing left to revert
    assert not OfficeMessage.objects.exists()

    _reject(vendor, office, coordinator)
    [mail] = _not_survey(smtp_server.to(vendor.email))
    assert mail["Subject"].startswith("Pendaftaran verifikasi ditolak")

    history = list(texts.office_message_history(office=office, key="registration_rejected"))
    assert [e.action for e in history] == ["office_message.reverted", "office_message.saved",
                                           "office_message.saved"]
    reverted, second, first = history
    assert first.details["old"] is None and first.details["new"]["subject"] == SUBJECT
    assert second.details["old"]["subject"] == SUBJECT
    assert second.details["new"]["subject"] == "Ditolak: {{ registration.company_name }}"
    assert reverted.details["old"]["subject"].startswith("Ditolak") and \
        reverted.details["new"] is None
    assert all(e.actor_id == admin_user.pk and e.office_id == office.pk for e in history)
    assert known("office_message.saved") and known("office_message.reverted")


@pytest.mark.parametrize(("body", "says"), [
    ("{% load static %}{{ registration.company_name }}", "{% load %} tidak diizinkan"),
    ("{{ registration.vendor.password }}", 'Variabel "registration.vendor.password"'),
    ("{% for d in deficiencies %}{{ d.subject }}{% endfor %}", 'Variabel "deficiencies"'),
    ("baris satu\n{% if reason %}tanpa akhir", "Penulisan templat salah (baris 2)"),
    ("{{ reason|safe }}", 'Filter "safe" tidak diizinkan'),
    ("{% url 'home' %}", "Tag {% url %} tidak diizinkan"),
    ("{% include 'base.html' %}", "Tag {% include %} tidak diizinkan"),
    ("{% if registration.vendor.is_superuser %}x{% endif %}", "registration.vendor"),
    ("", "wajib diisi"),
])
def test_it_refuses_a_bad_text_and_saves_nothing(office, admin_user, body, says):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        texts.office_message_save(office=office, key="registration_rejected",
                                  subject="Subjek", body=body, actor=admin_user)
    assert says in refused.value.messages[0]
    assert not OfficeMessage.objects.exists()
    assert AuditEvent.objects.count() == before


def test_the_preview_renders_the_sample_data(office):
    preview = texts.message_preview(
        office=office, key="revision_requested",
        subject="Perbaikan {{ registration.company_name }}",
        body="{% for d in deficiencies %}- {{ d.subject }}: {{ d.reasons|join:', ' }}\n"
             "{% endfor %}{{ home_url }}")
    assert preview["subject"] == "Perbaikan CV Maju Jaya"
    assert "- NIB: Dokumen tidak terbaca" in preview["body_text"]
    assert f'href="{settings.SITE_URL}/beranda/"' in preview["body_html"]


def test_whatsapp_names_come_from_a_registered_provider(office, monkeypatch):
    monkeypatch.setattr(texts, "_whatsapp_provider", None)
    assert texts.whatsapp_template_names(office) is None
    texts.whatsapp_names_provider(lambda o: [("Kekurangan dokumen", f"{o.code}_kekurangan")])
    assert texts.whatsapp_template_names(office) == [("Kekurangan dokumen",
                                                      "ketapang_kekurangan")]
