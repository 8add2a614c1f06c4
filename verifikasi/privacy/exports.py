"""A copy of one's data (UU PDP Pasal 7): built by the worker, private, short-lived.

``data_export_request`` records the wish and enqueues ``tasks.data_export_build``;
the build writes a ZIP (``data.json`` with the person's records, their documents as
stored and their certificates) to private storage, offers it for the office's
``rights_export`` period (``periods.export_lifetime``) and emails the person through the
outbox. The daily retention job (``data_exports_apply``) deletes the file afterwards.
Recordings are listed, not copied: each shows the verifier too and is the office's
evidence of the call (tata cara C.5); the person may view theirs at the office on request
(see docs/panduan-pelaku-usaha.md).
"""

import hashlib
import json
import logging
import shutil
import tempfile
import uuid
import zipfile
from datetime import timedelta

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from verifikasi.accounts.models import User
from verifikasi.core.audit import audit_log
from verifikasi.core.queue import enqueue
from verifikasi.core.retention_policy import Destroyed, retention_applier, retention_days
from verifikasi.notifications.services import email_queue
from verifikasi.offices.models import Office

from .holdings import audit_about, emails_to, holdings_for
from .models import DataExport, ExportStatus
from .periods import export_lifetime
from .records import subject_records

logger = logging.getLogger(__name__)

BUILD_TASK = "verifikasi.privacy.tasks.data_export_build"
ERR_EXPORT_PENDING = _("Salinan data Anda sedang disiapkan. Anda akan menerima email bila "
                       "sudah siap.")
CHUNK = 1024 * 1024
# A build still pending after this long was cut off (a worker killed mid-way).
STALE_BUILD = timedelta(minutes=30)


def data_export_request(*, user, office, request=None) -> DataExport:
    """The person asks for a copy; one at a time (a pending one is reused)."""
    with transaction.atomic():
        # Under the person's row lock, so a double click makes one job.
        User.objects.select_for_update().filter(pk=user.pk).first()
        pending = DataExport.objects.filter(user=user, status=ExportStatus.PENDING).first()
        if pending is not None and pending.requested_at > timezone.now() - STALE_BUILD:
            return pending
        if pending is not None:  # its worker died mid-build: give up on it, start again
            DataExport.objects.filter(pk=pending.pk, status=ExportStatus.PENDING).update(
                status=ExportStatus.FAILED, last_error="the build did not finish")
        export = DataExport.objects.create(user=user, office=office,
                                           requested_at=timezone.now())
        audit_log(action="privacy.export_requested", actor=user, office=office, obj=export,
                  request=request)
        enqueue(BUILD_TASK, export.pk)
    return export


def _write_storage_file(zf: zipfile.ZipFile, arcname: str, name: str) -> bool:
    if not name or not default_storage.exists(name):
        return False
    with default_storage.open(name, "rb") as src, zf.open(arcname, "w") as dst:
        shutil.copyfileobj(src, dst, CHUNK)
    return True


def _zip(export: DataExport, fh) -> dict:
    holdings = holdings_for(export.user)
    records = subject_records(holdings, emails=emails_to(holdings),
                              audit=audit_about(holdings))
    with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for doc in records["documents"]:
            doc["file_in_zip"] = ""
            source = next(d for d in holdings.documents if str(d.code) == doc["code"])
            arcname = (f"dokumen/{slugify(source.registration.company_name) or 'pendaftaran'}-"
                       f"{source.document_type.code}-v{source.version}.pdf")
            if source.purged_at is None and _write_storage_file(zf, arcname, source.file.name):
                doc["file_in_zip"] = arcname
        for cert in records["certificates"]:
            source = next(c for c in holdings.certificates if str(c.id) == cert["id"])
            arcname = f"tanda-lulus/{slugify(source.number) or source.code}.pdf"
            cert["file_in_zip"] = arcname if _write_storage_file(
                zf, arcname, source.file.name) else ""
        zf.writestr("data.json", json.dumps(records, ensure_ascii=False, indent=2,
                                            default=str))
    return records


def data_export_build(*, export_id: int) -> str:
    """Worker: build the ZIP, store it privately, offer it, email the person."""
    claimed = DataExport.objects.filter(pk=export_id, status=ExportStatus.PENDING).first()
    if claimed is None:
        return "skipped"
    export = claimed
    name = f"privacy/exports/{export.code}/{uuid.uuid4().hex}.zip"
    try:
        with tempfile.TemporaryFile() as fh:
            _zip(export, fh)
            size = fh.tell()
            fh.seek(0)
            digest = hashlib.sha256()
            for chunk in iter(lambda: fh.read(CHUNK), b""):
                digest.update(chunk)
            fh.seek(0)
            stored = default_storage.save(name, File(fh, name="data.zip"))
    except Exception as e:
        logger.exception("data export %s failed", export.code)
        DataExport.objects.filter(pk=export.pk).update(
            status=ExportStatus.FAILED, last_error=f"{type(e).__name__}: {e}"[:2000])
        return "failed"
    now = timezone.now()
    with transaction.atomic():
        updated = DataExport.objects.filter(pk=export.pk, status=ExportStatus.PENDING).update(
            status=ExportStatus.READY, file=stored, size=size, sha256=digest.hexdigest(),
            ready_at=now, expires_at=now + export_lifetime(export.office))
        if not updated:  # built twice by a repeated task: keep the first
            default_storage.delete(stored)
            return "skipped"
        export.refresh_from_db()
        audit_log(action="privacy.export_ready", office=export.office, obj=export,
                  details={"size": size, "sha256": export.sha256})
        email_queue(template="privacy_export_ready", to=export.user.email,
                    context={"export": export, "user": export.user}, office=export.office)
    return "ready"


def data_export_download_log(*, export: DataExport, actor, request) -> None:
    with transaction.atomic():
        DataExport.objects.filter(pk=export.pk).update(downloads=F("downloads") + 1)
        audit_log(action="privacy.export_downloaded", actor=actor, office=export.office,
                  obj=export, request=request)


@retention_applier("rights_export")
def data_exports_apply(*, now) -> list[Destroyed]:
    """The daily retention job: every copy past its offer, counted per office."""
    counts: dict = {}
    while True:
        due = list(DataExport.objects.filter(status=ExportStatus.READY, expires_at__lte=now)
                   .values_list("office", flat=True)[:100])
        if not due or not data_exports_expire(now=now):
            break
        for office_id in due:
            counts[office_id] = counts.get(office_id, 0) + 1
    offices = Office.objects.in_bulk([pk for pk in counts if pk is not None])
    return [Destroyed(offices.get(pk), n, retention_days("rights_export", offices.get(pk)),
                      {"unit": "copies"}) for pk, n in counts.items()]


def data_exports_expire(*, now=None, batch: int = 100) -> int:
    """Delete the files of copies past their offer; the row stays as the record."""
    now = now or timezone.now()
    count = 0
    due = DataExport.objects.filter(status=ExportStatus.READY, expires_at__lte=now)[:batch]
    for export in due:
        with transaction.atomic():
            if not DataExport.objects.filter(pk=export.pk, status=ExportStatus.READY).update(
                    status=ExportStatus.EXPIRED, file=""):
                continue
            try:
                default_storage.delete(export.file.name)
            except OSError:
                logger.exception("could not delete %s", export.file.name)
            audit_log(action="privacy.export_expired", office=export.office, obj=export)
        count += 1
    return count
