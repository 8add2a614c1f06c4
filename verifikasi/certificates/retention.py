"""Certificates at the end of the registration-record period (core/retention_policy.py).

The signed PDF is deleted; the row keeps the number, the dates and the SHA-256,
so the public check page can still say that the number was issued and a PDF
someone kept can still be checked against the hash.
"""

from django.core.files.storage import default_storage
from django.db.models import Q

from verifikasi.core.retention_policy import Destroyed, per_office, retention_applier
from verifikasi.registrations.retention import CLOSED

from .models import Certificate


@retention_applier("certificates")
def certificate_files_delete(*, now) -> list[Destroyed]:
    def work(office, cutoff):
        due = Certificate.objects.filter(
            office=office, registration__status__in=CLOSED,
            registration__status_changed_at__lt=cutoff).filter(~Q(file=""))
        count = 0
        for certificate in due.only("pk", "file"):
            default_storage.delete(certificate.file.name)
            count += Certificate.objects.filter(pk=certificate.pk).update(file="")
        return count
    return per_office("certificates", now, work)
