"""Certificates at the end of the registration-record period: the PDF goes, the facts stay."""

from datetime import timedelta

from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from verifikasi.core.retention_policy import retention_apply
from verifikasi.registrations.models import Registration


def test_the_pdf_of_a_long_closed_registration_is_deleted_and_the_check_still_answers(
        client, vendor_client, certificate, office):
    office.retention_registration_days = 365
    office.save()
    name = certificate.file.name
    Registration.objects.filter(pk=certificate.registration_id).update(
        status="completed", status_changed_at=timezone.now() - timedelta(days=366))

    assert retention_apply()["certificates"] == 1

    certificate.refresh_from_db()
    assert not certificate.file and not default_storage.exists(name)
    assert certificate.number and certificate.sha256
    assert vendor_client.get(reverse("certificate_download",
                                     args=[certificate.code])).status_code == 404
    check = client.get(reverse("certificate_check", args=[certificate.code]))
    assert check.status_code == 200 and certificate.number in check.content.decode()


def test_a_young_certificate_is_kept(certificate, office):
    Registration.objects.filter(pk=certificate.registration_id).update(
        status="completed", status_changed_at=timezone.now() - timedelta(days=30))

    assert retention_apply()["certificates"] == 0

    certificate.refresh_from_db()
    assert certificate.file
