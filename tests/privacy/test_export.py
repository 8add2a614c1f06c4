"""The copy of one's data: built by the worker, ZIP content, owner-only download, expiry."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.urls import reverse

from tests.certificates.conftest import issue, signing_key, signing_p12  # noqa: F401
from tests.conftest import assert_private_no_store, login, run_worker
from verifikasi.core.models import AuditEvent
from verifikasi.notifications.models import OutboundEmail
from verifikasi.privacy import exports
from verifikasi.privacy.models import DataExport, ExportStatus


def build(user, office):
    export = exports.data_export_request(user=user, office=office)
    run_worker()
    export.refresh_from_db()
    return export


def read_zip(export) -> zipfile.ZipFile:
    with export.file.open("rb") as fh:
        return zipfile.ZipFile(io.BytesIO(fh.read()))


def test_the_worker_builds_a_zip_with_records_documents_and_certificate(
        vendor, office, registration, verifier):
    from verifikasi.registrations.models import Registration
    Registration.objects.filter(pk=registration.pk).update(
        status="verified", call_held_on="2026-11-20", assigned_to=verifier)
    registration.refresh_from_db()
    certificate = issue(registration, actor=verifier)
    export = build(vendor, office)
    assert export.status == ExportStatus.READY
    assert export.expires_at - export.ready_at == timedelta(days=7)
    archive = read_zip(export)
    data = json.loads(archive.read("data.json"))
    assert data["account"]["email"] == vendor.email
    [reg] = data["registrations"]
    assert reg["director_nik"] == registration.director_nik  # their own data, in full
    assert reg["consent_version"] == registration.consent_version
    names = archive.namelist()
    docs = [d for d in data["documents"] if d["file_in_zip"]]
    assert len(docs) == registration.documents.count()
    for doc in docs:
        assert doc["file_in_zip"] in names
        assert archive.read(doc["file_in_zip"]).startswith(b"%PDF")
    [cert] = data["certificates"]
    assert cert["number"] == certificate.number and cert["file_in_zip"] in names
    assert any(e["action"] == "certificate.issued" for e in data["audit"])
    # Staff are named by role only.
    assert verifier.email not in archive.read("data.json").decode()
    ready = OutboundEmail.objects.get(template="privacy_export_ready")
    assert ready.to == [vendor.email]


def test_only_its_owner_downloads_it_and_every_download_is_audited(
        client, vendor, other_vendor, office, registration):
    export = build(vendor, office)
    url = reverse("privacy_export_download", args=[export.code])
    login(client, other_vendor)
    assert client.get(url).status_code == 404
    login(client, vendor)
    response = client.get(url)
    assert response.status_code == 200
    assert_private_no_store(response)
    assert b"".join(response.streaming_content)[:2] == b"PK"
    client.get(url)
    export.refresh_from_db()
    assert export.downloads == 2
    assert AuditEvent.objects.filter(action="privacy.export_downloaded",
                                     object_id=str(export.code)).count() == 2


def test_it_is_deleted_after_its_offer_and_then_404(client, vendor, office, registration):
    export = build(vendor, office)
    name = export.file.name
    assert default_storage.exists(name)
    assert exports.data_exports_expire() == 0
    with time_machine.travel(export.expires_at + timedelta(minutes=1), tick=False):
        login(client, vendor)
        url = reverse("privacy_export_download", args=[export.code])
        assert client.get(url).status_code == 404  # past its offer even before the purge
        assert exports.data_exports_expire() == 1
    export.refresh_from_db()
    assert export.status == ExportStatus.EXPIRED and not export.file
    assert not default_storage.exists(name)
    assert AuditEvent.objects.filter(action="privacy.export_expired").count() == 1


def test_a_second_request_while_one_is_pending_makes_no_second_job(vendor, office):
    first = exports.data_export_request(user=vendor, office=office)
    second = exports.data_export_request(user=vendor, office=office)
    assert first.pk == second.pk
    assert DataExport.objects.count() == 1


@pytest.mark.parametrize("method", ["get"])
def test_requesting_a_copy_is_post_only(vendor_client, method):
    assert getattr(vendor_client, method)(reverse("privacy_export_request")).status_code == 405


def test_the_vendor_asks_for_a_copy_from_the_page(vendor_client, vendor):
    response = vendor_client.post(reverse("privacy_export_request"))
    assert response.status_code == 302
    export = DataExport.objects.get(user=vendor)
    assert export.status == ExportStatus.PENDING
    assert AuditEvent.objects.filter(action="privacy.export_requested",
                                     object_id=str(export.code)).exists()
    run_worker()
    export.refresh_from_db()
    assert export.status == ExportStatus.READY


def test_a_build_cut_off_by_a_dead_worker_does_not_block_a_new_copy(vendor, office):
    first = exports.data_export_request(user=vendor, office=office)
    with time_machine.travel(first.requested_at + timedelta(hours=1), tick=False):
        second = exports.data_export_request(user=vendor, office=office)
    assert second.pk != first.pk
    first.refresh_from_db()
    assert first.status == ExportStatus.FAILED
    assert second.status == ExportStatus.PENDING


def test_the_offer_follows_the_offices_period_and_the_daily_retention_job_ends_it(
        vendor, office, registration):
    """Issue 18: copies made for rights requests are one row of the retention table."""
    from verifikasi.core.retention_policy import retention_apply

    office.retention_rights_export_days = 3
    office.save(update_fields=["retention_rights_export_days"])
    export = build(vendor, office)
    assert export.expires_at - export.ready_at == timedelta(days=3)
    name = export.file.name

    assert retention_apply(now=export.expires_at - timedelta(minutes=1)).get("rights_export",
                                                                            0) == 0
    counts = retention_apply(now=export.expires_at + timedelta(minutes=1))
    assert counts["rights_export"] == 1
    export.refresh_from_db()
    assert export.status == ExportStatus.EXPIRED and not default_storage.exists(name)
    logged = AuditEvent.objects.get(action="retention.destroyed",
                                    details__data_class="rights_export")
    assert logged.details["count"] == 1
