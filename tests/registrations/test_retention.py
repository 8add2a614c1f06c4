"""Retention: files of long-closed registrations are destroyed and the destruction logged."""

from datetime import timedelta

from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from tests.registrations.factories import add_all_documents, make_registration
from verifikasi.core.models import AuditEvent
from verifikasi.registrations.models import Document
from verifikasi.registrations.retention import documents_expire


def test_it_destroys_files_after_the_retention_period_and_keeps_the_record(
        vendor, office, settings, vendor_client):
    settings.DOCUMENT_RETENTION_DAYS = 30
    old = make_registration(vendor, office, status="completed",
                            status_changed_at=timezone.now() - timedelta(days=31))
    docs = add_all_documents(old)
    # The NIK read from the KTP (issue 20) is personal data like the file it came from.
    Document.objects.filter(pk=docs[0].pk).update(ocr_nik=old.director_nik, ocr_confidence=90,
                                                  ocr_read_at=timezone.now())
    from django.core.files.base import ContentFile

    page = default_storage.save(f"pages/{docs[0].code}/1.png", ContentFile(b"png"))
    names = [d.file.name for d in docs] + [page]
    assert all(default_storage.exists(n) for n in names)

    assert documents_expire() == 1

    assert not any(default_storage.exists(n) for n in names)
    for doc in docs:
        doc.refresh_from_db()
        assert doc.purged_at and not doc.file and doc.sha256  # the record stays
        assert doc.ocr_nik == ""
    old.refresh_from_db()
    assert old.director_nik == ""
    event = AuditEvent.objects.get(action="registration.documents_expired")
    assert event.details == {"documents": 3, "retention_days": 30}
    url = reverse("document_download", args=[old.code, docs[0].code])
    assert vendor_client.get(url).status_code == 404
    assert documents_expire() == 0  # once


def test_it_keeps_open_and_recently_closed_registrations(vendor, other_vendor, office,
                                                         settings):
    settings.DOCUMENT_RETENTION_DAYS = 30
    long_ago = timezone.now() - timedelta(days=400)
    add_all_documents(make_registration(vendor, office, status="scheduled",
                                        status_changed_at=long_ago))
    add_all_documents(make_registration(other_vendor, office, status="withdrawn",
                                        npwp="0013000666091001",
                                        status_changed_at=timezone.now() - timedelta(days=5)))
    assert documents_expire() == 0
    assert not AuditEvent.objects.filter(action="registration.documents_expired").exists()


def test_a_new_office_made_in_the_admin_gets_the_checklist(client, operator):
    from tests.conftest import login
    from verifikasi.offices.models import Office

    login(client, operator)  # only the platform operator adds offices (docs/roles.md)
    response = client.post(reverse("admin:offices_office_add"), {
        "code": "sanggau", "name": "LPSE Kabupaten Sanggau", "short_name": "LPSE Sanggau",
        "letterhead": "PEMERINTAH KABUPATEN SANGGAU", "reply_to_email": "lpse@sanggau.test",
        "spse_url": "https://lpse.sanggau.test/", "timezone": "Asia/Pontianak",
        "timezone_label": "WIB", "service_days": "12345", "revision_deadline_days": "15",
        "sla_working_days": "5"})
    assert response.status_code == 302, response.content[:2000]
    office = Office.objects.get(code="sanggau")
    assert list(office.document_types.values_list("code", flat=True)) == [
        "ktp", "npwp", "nib", "akta_pendirian", "akta_perubahan", "surat_kuasa",
        "ktp_penerima_kuasa"]
    assert office.deficiency_reasons.count() == 7
