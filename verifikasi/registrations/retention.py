"""Retention (UU No. 27/2022: processing ends with the retention period).

The registration's data classes of core's retention table (core/retention_policy.py):
once a registration has been closed (completed, withdrawn, rejected) for longer
than the office's document period, its uploaded files, their page images and
thumbnails and its calendar files are destroyed and the NIKs are removed; the
rows stay as the record of what existed (type, version, SHA-256), and every
destruction is written to the audit log. Recordings follow their own period
(meetings.recordings.recordings_expire). After the longer registration-record
period the names and contact data go too; consent IPs go after the IP period.
"""

import logging
from datetime import timedelta

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from verifikasi.core.audit import audit_log
from verifikasi.core.retention_policy import (
    Destroyed,
    offices_with_days,
    per_office,
    retention_applier,
    retention_days,
)

from .models import CLOSED_STATUSES, Document, Registration

logger = logging.getLogger(__name__)

CLOSED = CLOSED_STATUSES

# What later steps keep of a registration and destroy with its documents
# (e.g. scheduling's calendar invites); each registers ``func(registration)``.
PURGES: list = []


def purge_with_documents(func):
    """Register ``func(registration)`` to delete a step's files when documents expire."""
    if func not in PURGES:
        PURGES.append(func)
    return func


def _delete(name: str) -> None:
    if name:
        try:
            default_storage.delete(name)
        except OSError:
            logger.exception("could not delete %s", name)


def delete_folder(prefix: str) -> None:
    # Both storages we ship (local folder, S3) list folders; a missing folder is fine.
    try:
        dirs, files = default_storage.listdir(prefix)
    except FileNotFoundError:
        return
    for name in files:
        _delete(f"{prefix}/{name}")
    for sub in dirs:
        delete_folder(f"{prefix}/{sub}")


def _documents_due(now):
    due = Q()
    for office, days in offices_with_days("documents"):
        due |= Q(office=office, status_changed_at__lt=now - timedelta(days=days))
    return (Registration.objects.filter(due, status__in=CLOSED,
                                        documents__purged_at__isnull=True)
            .distinct().select_related("office").order_by("pk"))


def documents_expire(*, now=None, batch: int = 50) -> int:
    """Destroy the files of registrations past their office's document period."""
    now = now or timezone.now()
    count = 0
    for registration in _documents_due(now)[:batch]:
        days = retention_days("documents", registration.office)
        registration_documents_purge(
            registration=registration, now=now, action="registration.documents_expired",
            details={"retention_days": days})
        count += 1
    return count


def registration_documents_purge(*, registration: Registration, now=None,
                                 action: str, details: dict | None = None) -> int:
    """Destroy one registration's files (documents, page images, thumbnails, what later
    steps registered) and its NIKs now, keeping the rows as the record; audited as
    ``action``. The expiry job and an accepted deletion request both end here."""
    now = now or timezone.now()
    with transaction.atomic():
        docs = list(Document.objects.select_for_update().filter(
            registration=registration, purged_at__isnull=True))
        for doc in docs:
            _delete(doc.file.name)
            _delete(doc.thumbnail.name)
            for entry in doc.incoming:  # an upload never checked (uploads.document_upload)
                _delete(entry["name"])
            for page in doc.page_numbers:  # page images (review_screen.document_page_response)
                _delete(f"pages/{doc.code}/{page}.png")
        Document.objects.filter(pk__in=[d.pk for d in docs]).update(
            purged_at=now, file="", thumbnail="", incoming=[], ocr_nik="")
        Registration.objects.filter(pk=registration.pk).update(
            director_nik="", representative_nik="")
        for purge in PURGES:
            purge(registration)
        audit_log(action=action, office=registration.office, obj=registration,
                  details={"documents": len(docs), **(details or {})})
    return len(docs)


@retention_applier("documents")
def documents_apply(*, now) -> list[Destroyed]:
    """The daily job: every due registration's files, in batches, counted per office."""
    counts: dict = {}
    while True:
        batch = list(_documents_due(now)[:50])
        if not batch or not documents_expire(now=now):
            break
        for registration in batch:
            counts[registration.office] = counts.get(registration.office, 0) + 1
    return [Destroyed(office, n, retention_days("documents", office), {"unit": "registrations"})
            for office, n in counts.items()]


PERSONAL_RECORD_FIELDS = ["director_name", "representative_name", "address", "phone", "email",
                          "spse_user_id", "postal_code", "closing_reason", "blacklist_note"]


@retention_applier("registration_record")
def registration_records_anonymise(*, now) -> list[Destroyed]:
    """After the registration-record period the people in a closed registration are removed."""
    kept = Q()
    for name in PERSONAL_RECORD_FIELDS:
        kept |= ~Q(**{name: ""})

    def work(office, cutoff):
        return Registration.objects.filter(
            kept, office=office, status__in=CLOSED, status_changed_at__lt=cutoff,
        ).update(**{name: "" for name in PERSONAL_RECORD_FIELDS})
    return per_office("registration_record", now, work, unit="registrations")


@retention_applier("ip_address")
def consent_ips_remove(*, now) -> list[Destroyed]:
    """The IP recorded with the consent goes after the IP period; the consent stays."""
    def work(office, cutoff):
        return Registration.objects.filter(
            office=office, consent_ip__isnull=False, consent_at__lt=cutoff,
        ).update(consent_ip=None)
    return per_office("ip_address", now, work, field="registrations.Registration.consent_ip")
