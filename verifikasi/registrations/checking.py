"""The worker's half of an upload (spec B.5): check what was stored, then the thumbnail.

``uploads.document_upload`` stores the bytes as sent and leaves the document "sedang
diperiksa"; ``document_check`` (the task ``document_check``) fetches them, joins photos
into one PDF, and lets ``check_pdf`` judge it — the same rules as when the vendor waited
for them. Accepted: the normalized PDF ``check_pdf`` wrote becomes the document's file, the
version that counts, and its thumbnail is queued. Refused: the bytes are destroyed and the
vendor reads the same Indonesian reason they used to get at once. Either way the bytes as
sent are destroyed afterwards.

Safe to run twice (a worker that died half-way, a task queued again): only a document still
"checking" is judged, the verdict is a conditional update that one run wins, the
normalized file has a name fixed by the document (a second run replaces what a dead one
left), and the bytes as sent stay listed on the row until they are deleted.
"""

import hashlib
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from verifikasi.core import pdfcheck
from verifikasi.core.audit import audit_log
from verifikasi.core.queue import enqueue

from . import handoff, workflow
from .ktp_hint import KTP_TYPES
from .models import Document, DocumentCheck
from .selectors import step_checklist
from .uploads import CHUNK_BYTES, UploadLimits, UploadRefused, incoming_delete, too_big

#: The page-1 thumbnail shown to the vendor, in pixels (shown at half size on phones).
THUMBNAIL_WIDTH_PX = 300

ERR_STILL_CHECKING = gettext_lazy(
    "Dokumen %(name)s sedang diperiksa. Tunggu hasil pemeriksaannya (biasanya beberapa "
    "detik), lalu ajukan lagi.")
ERR_REFUSED = gettext_lazy(
    "Berkas terakhir untuk %(name)s ditolak: %(reason)s Unggah ulang berkas yang benar.")
ERR_PAGE_LIMIT = gettext_lazy("Batas: %(pages)d halaman.")
ERR_PHOTO_NAMED = gettext_lazy("Foto “%(name)s”: %(message)s")


def _refused(e: pdfcheck.PdfRejected, limits: UploadLimits) -> UploadRefused:
    if e.code == "too_big":
        return too_big(limits)
    if e.code == "too_many_pages":
        limit = ERR_PAGE_LIMIT % {"pages": limits.max_pages}
        return UploadRefused(f"{e.message} {limit}", e.code)
    return UploadRefused(e.message, e.code)


def _photo_refused(e: pdfcheck.PdfRejected, names: list[str]) -> UploadRefused:
    # images_to_pdf numbers the photo it refused ("photo 2: ..."); name it for the vendor.
    match = re.match(r"photo (\d+):", e.detail)
    if match and 1 <= int(match[1]) <= len(names) and len(names) > 1:
        name = names[int(match[1]) - 1]
        return UploadRefused(ERR_PHOTO_NAMED % {"name": name, "message": e.message}, e.code)
    return UploadRefused(e.message, e.code)


@workflow.condition("submit", "resubmit")
def uploads_checked(step: workflow.Step) -> list[str]:
    """B.8, C.3: nothing is sent to the verifier while a document's newest upload is still
    being checked, or was refused (the vendor uploads a good file first)."""
    problems = []
    for item in step_checklist(step):
        doc = item.pending
        if doc is not None and doc.check_state == DocumentCheck.CHECKING:
            problems.append(ERR_STILL_CHECKING % {"name": item.document_type.name})
        elif doc is not None:
            problems.append(ERR_REFUSED % {"name": item.document_type.name,
                                           "reason": doc.check_message})
    return problems


def _fetch(name: str, target: Path) -> str:
    """Copy a stored file into the working folder in chunks (local disk or S3 alike),
    hashing it on the way; its SHA-256."""
    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as f, open(target, "wb") as out:
        while chunk := f.read(CHUNK_BYTES):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


@dataclass
class _Checked:
    path: Path  # the normalized PDF
    check: pdfcheck.PdfCheckResult


def _fetch_all(document: Document, work: Path, limits: UploadLimits) -> tuple[list[Path],
                                                                              list[str]]:
    """The files as sent, into ``work``, and their names; their hashes, the evidence of
    what the vendor sent, go on the row and in the audit log whatever the verdict. A body
    nginx stored is taken apart here (``handoff.extract``: UploadRefused as the request
    would have refused it); then the row gets the names, sizes and kind found in it."""
    document.original_sha256, document.photo_sha256s = "", []
    if document.incoming and handoff.is_handed(document.incoming[0]):
        files, is_pdf = handoff.extract(document.incoming[0], work, limits)
        document.from_photos = not is_pdf
        document.original_name = ", ".join(f.name for f in files)[:255]
        document.size = sum(f.size for f in files)
        sources, names, hashes = ([f.path for f in files], [f.name for f in files],
                                  [f.sha256 for f in files])
    else:
        sources, hashes = [], []
        names = [entry["original_name"] for entry in document.incoming]
        for number, entry in enumerate(document.incoming, start=1):
            sources.append(work / f"upload-{number}")
            hashes.append(_fetch(entry["name"], sources[-1]))
    document.original_sha256 = "" if document.from_photos else hashes[0]
    document.photo_sha256s = hashes if document.from_photos else []
    return sources, names


def _judge(document: Document, sources: list[Path], names: list[str], work: Path,
           limits: UploadLimits) -> _Checked:
    """The uploaded bytes as one checked PDF in ``work``, or UploadRefused."""
    checks = {"max_bytes": limits.max_bytes, "max_pages": limits.max_pages,
              "timeout_seconds": limits.timeout_seconds}
    normalized = work / "normalized.pdf"
    path = sources[0]
    if document.from_photos:
        path = work / "photos.pdf"
        try:
            pdfcheck.images_to_pdf(sources, path)
        except pdfcheck.PdfRejected as e:
            raise _photo_refused(e, names) from None
    try:
        result = pdfcheck.check_pdf(path, normalized_path=normalized, **checks)
    except pdfcheck.PdfRejected as e:
        raise _refused(e, limits) from None
    return _Checked(normalized, result)


def _stored_name(document: Document) -> str:
    """Fixed per document, so a second run overwrites what a dead one left behind."""
    return (f"registrations/{document.registration.code}/{document.document_type.code}/"
            f"v{document.version}-{document.code.hex}.pdf")


def _still_checking(document: Document):
    return Document.objects.filter(pk=document.pk, check_state=DocumentCheck.CHECKING)


def _details(document: Document, **extra) -> dict:
    return {"registration": str(document.registration.code),
            "type": document.document_type.code, "version": document.version,
            "original_sha256": document.original_sha256,
            "photo_sha256s": getattr(document, "photo_sha256s", []), **extra}


def _accept(document: Document, checked: _Checked) -> bool:
    name = _stored_name(document)
    default_storage.delete(name)
    with open(checked.path, "rb") as f:
        name = default_storage.save(name, File(f))
    sha256 = _file_sha256(checked.path)
    check = checked.check
    with transaction.atomic():
        won = _still_checking(document).update(
            check_state=DocumentCheck.ACCEPTED, checked_at=timezone.now(), file=name,
            original_sha256=document.original_sha256, original_name=document.original_name,
            from_photos=document.from_photos, sha256=sha256,
            size=checked.path.stat().st_size, page_count=check.page_count,
            repaired=check.repaired, check_warnings=check.warnings)
        if won:
            audit_log(action="document.checked", office=document.registration.office,
                      obj=document, details=_details(
                          document, sha256=sha256, pages=check.page_count,
                          repaired=check.repaired, warnings=check.warnings))
            enqueue("verifikasi.registrations.tasks.document_thumbnail_render", document.pk)
            if settings.OCR_ENABLED and document.document_type.code in KTP_TYPES:
                enqueue("verifikasi.registrations.tasks.document_nik_read", document.pk)
    return bool(won)


def _refuse(document: Document, refusal: UploadRefused) -> bool:
    with transaction.atomic():
        won = _still_checking(document).update(
            check_state=DocumentCheck.REFUSED, checked_at=timezone.now(),
            check_message=refusal.message, original_sha256=document.original_sha256,
            original_name=document.original_name, from_photos=document.from_photos,
            size=document.size)
        if won:
            audit_log(action="document.refused", office=document.registration.office,
                      obj=document, details=_details(document, reason=refusal.code))
    return bool(won)


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def _forget_incoming(document: Document) -> None:
    """Destroy the bytes as sent once judged; the row lists them until they are gone."""
    incoming_delete(document.incoming)
    Document.objects.filter(pk=document.pk).exclude(
        check_state=DocumentCheck.CHECKING).update(incoming=[])


def document_check(document_id: int) -> str:
    """B.5: judge a stored upload with ``check_pdf`` (run by the worker); the verdict.

    Idempotent: a document already judged keeps its verdict (only leftovers of a run that
    died after it are cleaned up), and of two runs at once only one verdict is recorded.
    """
    document = (Document.objects.select_related("registration__office", "document_type")
                .filter(pk=document_id).first())
    if document is None:
        return "missing"
    if document.check_state == DocumentCheck.CHECKING:
        limits = UploadLimits.from_settings()
        with tempfile.TemporaryDirectory(prefix="verifikasi-check-",
                                         dir=settings.FILE_UPLOAD_TEMP_DIR) as work:
            try:
                sources, names = _fetch_all(document, Path(work), limits)
                checked = _judge(document, sources, names, Path(work), limits)
            except UploadRefused as refusal:
                _refuse(document, refusal)
            else:
                _accept(document, checked)
        document.refresh_from_db()
    if document.incoming and document.check_state != DocumentCheck.CHECKING:
        _forget_incoming(document)
    return document.check_state


def _thumbnail_name(document: Document) -> str:
    return re.sub(r"\.pdf$", "", document.file.name) + "-p1.png"


def document_thumbnail_render(document_id: int) -> str:
    """Render page 1 of a checked document as a PNG for the vendor's card (run by the worker).

    Idempotent: a document that already has a thumbnail, is not (or no longer) accepted, or
    no longer exists, is left alone.
    """
    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        return "missing"
    if document.thumbnail:
        return "exists"
    if document.check_state != DocumentCheck.ACCEPTED or not document.file:
        return "unchecked"
    with tempfile.TemporaryDirectory(prefix="verifikasi-thumb-",
                                     dir=settings.FILE_UPLOAD_TEMP_DIR) as work:
        source, target = Path(work) / "document.pdf", Path(work) / "page-1.png"
        _fetch(document.file.name, source)
        pdfcheck.render_thumbnail(source, target, width_px=THUMBNAIL_WIDTH_PX)
        with open(target, "rb") as f:
            name = default_storage.save(_thumbnail_name(document), File(f))
    updated = Document.objects.filter(pk=document.pk, thumbnail="").update(thumbnail=name)
    if not updated:  # another worker was quicker
        default_storage.delete(name)
        return "exists"
    if name != _thumbnail_name(document):
        # The usual name was taken: by a run of this task that stopped (a killed worker)
        # between saving and recording it, or by a worker that lost the race above and is
        # about to delete it. Either way no row names it now.
        default_storage.delete(_thumbnail_name(document))
    return "rendered"
