"""Retention (UU No. 27/2022: processing ends with the retention period).

Once a registration has been closed (completed, withdrawn, rejected) for longer
than DOCUMENT_RETENTION_DAYS, its uploaded files, their page images and
thumbnails and its calendar files are destroyed and the NIKs are removed; the
rows stay as the record of what existed (type, version, SHA-256), and every
destruction is written to the audit log. Recordings follow their own period
(meetings.recordings.recordings_expire).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from verifikasi.core.audit import audit_log

from .models import Document, Registration, RegistrationStatus

logger = logging.getLogger(__name__)

CLOSED = [RegistrationStatus.COMPLETED, RegistrationStatus.WITHDRAWN,
          RegistrationStatus.REJECTED]

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


def documents_expire(*, now=None, batch: int = 50) -> int:
    """Upkeep job: destroy the files of registrations past their retention period."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.DOCUMENT_RETENTION_DAYS)
    due = (Registration.objects.filter(status__in=CLOSED, status_changed_at__lt=cutoff,
                                       documents__purged_at__isnull=True)
           .distinct().select_related("office")[:batch])
    count = 0
    for registration in due:
        registration_documents_purge(
            registration=registration, now=now, action="registration.documents_expired",
            details={"retention_days": settings.DOCUMENT_RETENTION_DAYS})
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
            purged_at=now, file="", thumbnail="", incoming=[])
        Registration.objects.filter(pk=registration.pk).update(
            director_nik="", representative_nik="")
        for purge in PURGES:
            purge(registration)
        audit_log(action=action, office=registration.office, obj=registration,
                  details={"documents": len(docs), **(details or {})})
    return len(docs)
