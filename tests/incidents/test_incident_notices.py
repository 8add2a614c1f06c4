"""The notices of Pasal 46: drafted with the required contents, edited, sent and recorded."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.conftest import assert_private_no_store, make_user, run_worker
from tests.incidents.conftest import FACTS
from tests.registrations.factories import make_registration
from verifikasi.core.models import AuditEvent
from verifikasi.incidents.models import IncidentRecipient
from verifikasi.notifications.models import EmailStatus


def _vendors(office, other_office, vendor, other_vendor):
    make_registration(vendor, office, status="completed")
    make_registration(other_vendor, office, status="submitted", npwp="0013000666091001")
    elsewhere = make_user("pu@sambas.test")
    make_registration(elsewhere, other_office, status="submitted")
    return elsewhere


def test_both_drafts_carry_what_article_46_requires(incident):
    for text in (incident.people_body, incident.authority_body):
        assert "Pasal 46" in text
        assert "Identitas: nama, NIK dan pindaian KTP" in text  # the data disclosed
        assert "Dokumen persyaratan yang diunggah" in text
        assert FACTS["description"] in text  # how
        assert "Kejadian: " in text and "Diketahui: " in text  # when
        assert FACTS["measures"] in text  # handling and recovery
    assert "12 orang" in incident.authority_body
    assert incident.office.name in incident.people_body
    assert incident.people_subject.startswith("Pemberitahuan kegagalan pelindungan data pribadi")


def test_the_notice_goes_to_the_chosen_vendors_through_the_outbox_and_is_recorded(
        smtp_server, coordinator_client, incident, office, other_office, vendor, other_vendor):
    elsewhere = _vendors(office, other_office, vendor, other_vendor)
    url = reverse("incident_notice_people", args=[incident.code])
    page = coordinator_client.get(url)
    assert "Semua Pelaku Usaha yang pernah mendaftar di kantor ini (2)" in page.content.decode()
    assert_private_no_store(page)
    body = incident.people_body + "\n\nTambahan dari ketua tim."

    response = coordinator_client.post(url, {
        "subject": "Pemberitahuan insiden data", "body": body, "audiences": ["registered"],
        "extra": "kuasa@example.test", "confirm": "on", "send": "1"})

    assert response.status_code == 302
    assert smtp_server.messages == []  # queued in the request, delivered by the worker
    run_worker()
    received = {m.rcpt_tos[0]: m for m in smtp_server.messages
                if m["Subject"] == "Pemberitahuan insiden data"}  # not the daily anchor
    assert set(received) == {vendor.email, other_vendor.email, "kuasa@example.test"}
    assert elsewhere.email not in received
    one = received[vendor.email]
    assert one["Subject"] == "Pemberitahuan insiden data"
    assert "Tambahan dari ketua tim." in one.text and FACTS["measures"] in one.text
    assert one["To"] == vendor.email  # nobody sees the other recipients
    recipients = IncidentRecipient.objects.filter(incident=incident)
    assert recipients.count() == 3
    assert all(r.outbound_email.status == EmailStatus.SENT for r in recipients)
    assert recipients.get(email=vendor.email).user == vendor
    incident.refresh_from_db()
    assert incident.people_sent_at and incident.people_body == body
    event = AuditEvent.objects.get(action="incident.people_notified")
    assert event.details["recipients"] == 3 and event.details["audiences"] == ["registered"]


def test_the_notice_is_sent_once(smtp_server, coordinator_client, incident, office,
                                 other_office, vendor, other_vendor):
    _vendors(office, other_office, vendor, other_vendor)
    url = reverse("incident_notice_people", args=[incident.code])
    send = {"subject": "S", "body": "B", "audiences": ["registered"], "confirm": "on",
            "send": "1"}
    assert coordinator_client.post(url, send).status_code == 302

    again = coordinator_client.post(url, send)

    assert again.status_code == 409
    assert IncidentRecipient.objects.count() == 2


def test_sending_needs_recipients_and_the_confirmation_a_draft_does_not(
        coordinator_client, incident):
    url = reverse("incident_notice_people", args=[incident.code])
    unconfirmed = coordinator_client.post(url, {"subject": "S", "body": "B",
                                                "extra": "a@example.test", "send": "1"})
    nobody = coordinator_client.post(url, {"subject": "S", "body": "B", "confirm": "on",
                                           "send": "1"})
    draft = coordinator_client.post(url, {"subject": "Draf baru", "body": "Isi baru",
                                          "draft": "1"})

    assert unconfirmed.status_code == 400
    assert "Centang untuk menyatakan isi dan penerima sudah diperiksa." in \
        unconfirmed.content.decode()
    assert nobody.status_code == 400
    assert "Pilih sekurang-kurangnya satu kelompok penerima" in nobody.content.decode()
    assert draft.status_code == 302
    incident.refresh_from_db()
    assert (incident.people_subject, incident.people_body) == ("Draf baru", "Isi baru")
    assert incident.people_sent_at is None and not IncidentRecipient.objects.exists()


def test_the_authority_letter_is_edited_downloaded_and_its_sending_recorded(
        coordinator_client, incident):
    url = reverse("incident_notice_authority", args=[incident.code])
    letter = incident.authority_body.replace("Kepada Yth.", "Kepada Yth. Bapak Kepala")

    saved = coordinator_client.post(url, {"authority_name": "Lembaga PDP", "body": letter})
    text = coordinator_client.get(
        reverse("incident_notice_authority_download", args=[incident.code, "txt"]))
    pdf = coordinator_client.get(
        reverse("incident_notice_authority_download", args=[incident.code, "pdf"]))
    today = timezone.localdate()
    sent = coordinator_client.post(
        reverse("incident_notice_authority_sent", args=[incident.code]),
        {"sent_on": today.isoformat(), "reference": "B-12/LPSE/2026"})

    assert saved.status_code == 302
    assert text.content.decode() == letter
    assert text["Content-Disposition"].startswith("attachment;")
    assert_private_no_store(text)
    assert pdf.content.startswith(b"%PDF") and pdf["Content-Type"] == "application/pdf"
    assert sent.status_code == 302
    incident.refresh_from_db()
    assert (incident.authority_sent_on, incident.authority_reference) == (
        today, "B-12/LPSE/2026")
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"incident.authority_notice_saved", "incident.authority_notice_downloaded",
            "incident.authority_notified"} <= actions


def test_a_sending_date_in_the_future_or_before_it_was_known_is_refused(
        coordinator_client, incident):
    url = reverse("incident_notice_authority_sent", args=[incident.code])
    future = coordinator_client.post(url, {
        "sent_on": (timezone.localdate() + timedelta(days=1)).isoformat(), "reference": "x"})
    before = coordinator_client.post(url, {
        "sent_on": (timezone.localdate() - timedelta(days=30)).isoformat(), "reference": "x"})

    assert future.status_code == 400
    assert "Tanggal dikirim tidak boleh di masa depan." in future.content.decode()
    assert "Tanggal dikirim tidak boleh sebelum insiden diketahui." in before.content.decode()
    incident.refresh_from_db()
    assert incident.authority_sent_on is None
