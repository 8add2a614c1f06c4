"""Document uploads (spec B.4–B.7): accept, convert, store, version, thumbnail.

A vendor uploads one PDF, or one or more phone photos that become one PDF, for one
Lampiran 1 document. The file is accepted only if ``check_pdf`` accepts it (a real PDF
we can open and show, within the size and page limits, with nothing dangerous in it);
anything else is refused with an Indonesian message naming the problem and the fix,
and nothing is stored. What is stored is the normalized PDF ``check_pdf`` wrote (the
document rewritten by qpdf: no bytes around it, no leftovers, no broken xref), the file
that was checked and rendered; the upload's own SHA-256 is kept as evidence.

Memory stays flat however big the file: Django streams the request body to a temporary
file (``FILE_UPLOAD_MAX_MEMORY_SIZE``), ``UploadLimitHandler`` stops a file that grows
past the limit while it streams in, and ``document_upload`` copies it in chunks into its
own working folder, hashing as it copies; the storage reads it back in chunks. The
working folder is removed whatever happens.
"""

import hashlib
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy

from verifikasi.accounts.models import User
from verifikasi.core import pdfcheck
from verifikasi.core.audit import audit_log
from verifikasi.core.queue import enqueue

from . import workflow
from .models import Document, DocumentType, Registration
from .revision import document_is_replaceable
from .selectors import document_types_applicable

#: At most this many photos make one document; a thicker document is scanned to a PDF.
MAX_PHOTOS = 20
#: Files are copied and hashed in chunks of this size.
CHUNK_BYTES = 256 * 1024
#: The page-1 thumbnail shown to the vendor, in pixels (shown at half size on phones).
THUMBNAIL_WIDTH_PX = 300

ERR_NO_FILE = gettext_lazy(
    "Belum ada berkas yang dipilih. Pilih berkas PDF atau foto dokumen, lalu tekan Unggah.")
ERR_TOO_MANY_FILES = gettext_lazy(
    "Terlalu banyak foto sekaligus (paling banyak %(max)d foto untuk satu dokumen). Untuk "
    "dokumen yang lebih tebal, pindai menjadi satu PDF (misalnya dengan aplikasi pemindai di "
    "ponsel), lalu unggah PDF-nya.")
ERR_MIXED = gettext_lazy(
    "Pilih satu PDF saja, atau foto saja — jangan PDF dan foto sekaligus. Bila dokumen sudah "
    "berupa PDF, unggah PDF-nya saja.")
ERR_SEVERAL_PDFS = gettext_lazy(
    "Unggah satu berkas PDF untuk setiap dokumen. Bila dokumen Anda terbagi dalam beberapa PDF, "
    "gabungkan dulu menjadi satu PDF, lalu unggah lagi.")
ERR_NOT_APPLICABLE = gettext_lazy(
    "Dokumen ini tidak diperlukan menurut data perusahaan yang Anda isi. Bila seharusnya "
    "diperlukan, perbaiki dulu data perusahaan (misalnya centang “memiliki Akta Pendirian”).")
ERR_NOT_FLAGGED = gettext_lazy(
    "Dokumen ini tidak diminta untuk diperbaiki, jadi tidak dapat diganti. Unggah ulang hanya "
    "dokumen yang ditandai “perlu perbaikan” oleh verifikator.")
ERR_CONCURRENT = gettext_lazy(
    "Dokumen ini baru saja diunggah dari tempat lain pada saat yang sama. Muat ulang halaman "
    "untuk melihat versi terbaru, lalu unggah lagi bila perlu.")
ERR_SIZE_LIMIT = gettext_lazy("Batas ukuran: %(size)s per berkas.")
ERR_PAGE_LIMIT = gettext_lazy("Batas: %(pages)d halaman.")
ERR_PHOTO_NAMED = gettext_lazy("Foto “%(name)s”: %(message)s")

# Files whose content starts like this are PDFs whatever they are called.
PDF_MAGIC = b"%PDF-"
PDF_CONTENT_TYPES = {"application/pdf", "application/x-pdf"}


class UploadRefused(Exception):  # noqa: N818 - a refusal of the vendor's file, not our error
    """The upload is refused; ``message`` (Indonesian) says why and what to do."""

    def __init__(self, message, code: str):
        super().__init__(str(message))
        self.message = str(message)
        self.code = code


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int
    max_pages: int
    timeout_seconds: int
    max_files: int = MAX_PHOTOS

    @classmethod
    def from_settings(cls) -> "UploadLimits":
        return cls(settings.UPLOAD_MAX_BYTES, settings.UPLOAD_MAX_PAGES,
                   settings.UPLOAD_CHECK_TIMEOUT_SECONDS)


def _size_label(size: int) -> str:
    mib = 1024 * 1024
    return f"{size // mib} MB" if size % mib == 0 else filesizeformat(size)


def _too_big(limits: UploadLimits) -> UploadRefused:
    limit = ERR_SIZE_LIMIT % {"size": _size_label(limits.max_bytes)}
    return UploadRefused(f"{pdfcheck.MESSAGES['too_big']} {limit}", "too_big")


def _too_many(limits: UploadLimits) -> UploadRefused:
    return UploadRefused(ERR_TOO_MANY_FILES % {"max": limits.max_files}, "too_many_files")


def upload_form_context() -> dict:
    """What the upload form shows and the browser checks before sending (upload.js)."""
    limits = UploadLimits.from_settings()
    return {
        "max_bytes": limits.max_bytes,
        "max_size": _size_label(limits.max_bytes),
        "max_files": limits.max_files,
        "msg_too_big": _too_big(limits).message,
        "msg_too_many": _too_many(limits).message,
        "msg_no_file": str(ERR_NO_FILE),
        "msg_mixed": str(ERR_MIXED),
        "msg_several_pdfs": str(ERR_SEVERAL_PDFS),
    }


class UploadLimitHandler(FileUploadHandler):
    """First in the upload handler chain: stops a file as soon as it passes the size limit.

    Without it, a file of any size would be written to the temporary folder in full before
    the view could refuse it. Refusing stops the parse, drops the partial temporary file and
    reads the rest of the body to nowhere, so the vendor still gets a page with the message.
    (Bodies far too large for that are nginx's job: ``client_max_body_size``.)
    """

    def __init__(self, request=None, *, limits: UploadLimits):
        super().__init__(request)
        self.limits = limits
        self.files_seen = 0
        self.refusal: UploadRefused | None = None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.files_seen += 1
        if self.files_seen > self.limits.max_files:
            self.refusal = _too_many(self.limits)
            raise StopUpload(connection_reset=False)

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limits.max_bytes:
            self.refusal = _too_big(self.limits)
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) keeps the file


def upload_limit_handler(request) -> UploadLimitHandler:
    """Put an ``UploadLimitHandler`` in front of ``request``'s handlers (before any parsing)."""
    handler = UploadLimitHandler(request, limits=UploadLimits.from_settings())
    request.upload_handlers.insert(0, handler)
    return handler


def _looks_like_pdf(upload: UploadedFile) -> bool:
    """Whether the vendor means this file as a PDF (then check_pdf judges its content)."""
    name = (upload.name or "").lower()
    if name.endswith(".pdf") or (upload.content_type or "").lower() in PDF_CONTENT_TYPES:
        return True
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    return head == PDF_MAGIC


def _copy(upload: UploadedFile, target: Path, digest=None) -> None:
    """Copy in chunks, never the whole file in memory, feeding ``digest`` on the way."""
    upload.seek(0)
    with open(target, "wb") as out:
        for chunk in upload.chunks(CHUNK_BYTES):
            if digest is not None:
                digest.update(chunk)
            out.write(chunk)


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def _refused(e: pdfcheck.PdfRejected, limits: UploadLimits) -> UploadRefused:
    if e.code == "too_big":
        return _too_big(limits)
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


@dataclass
class _Prepared:
    path: Path  # the normalized PDF, to be stored
    sha256: str
    size: int
    check: pdfcheck.PdfCheckResult
    from_photos: bool
    original_name: str
    original_sha256: str  # of the uploaded PDF; "" for photos (see photo_sha256s)
    photo_sha256s: list[str]


def _prepare(files: list[UploadedFile], work: Path, limits: UploadLimits) -> _Prepared:
    """Turn the uploaded files into one checked PDF in ``work``, or refuse them."""
    if not files:
        raise UploadRefused(ERR_NO_FILE, "no_file")
    if len(files) > limits.max_files:
        raise _too_many(limits)
    for upload in files:
        if not upload.size:
            raise UploadRefused(pdfcheck.MESSAGES["empty"], "empty")
        if upload.size > limits.max_bytes:
            raise _too_big(limits)
    pdfs = [_looks_like_pdf(upload) for upload in files]
    if any(pdfs) and len(files) > 1:
        raise UploadRefused(ERR_SEVERAL_PDFS if all(pdfs) else ERR_MIXED,
                            "several_pdfs" if all(pdfs) else "mixed")
    names = [(upload.name or "")[:100] for upload in files]
    checks = {"max_bytes": limits.max_bytes, "max_pages": limits.max_pages,
              "timeout_seconds": limits.timeout_seconds}

    normalized = work / "normalized.pdf"
    if pdfs[0]:
        path, digest = work / "document.pdf", hashlib.sha256()
        _copy(files[0], path, digest)
        try:
            result = pdfcheck.check_pdf(path, normalized_path=normalized, **checks)
        except pdfcheck.PdfRejected as e:
            raise _refused(e, limits) from None
        return _Prepared(normalized, _hash_file(normalized), normalized.stat().st_size, result,
                         False, names[0], digest.hexdigest(), [])

    photos, photo_digests = [], []
    for number, upload in enumerate(files, start=1):
        photo, digest = work / f"photo-{number}", hashlib.sha256()
        _copy(upload, photo, digest)
        photos.append(photo)
        photo_digests.append(digest.hexdigest())
    path = work / "photos.pdf"
    try:
        pdfcheck.images_to_pdf(photos, path)
    except pdfcheck.PdfRejected as e:
        raise _photo_refused(e, names) from None
    try:
        result = pdfcheck.check_pdf(path, normalized_path=normalized, **checks)
    except pdfcheck.PdfRejected as e:
        raise _refused(e, limits) from None
    return _Prepared(normalized, _hash_file(normalized), normalized.stat().st_size, result, True,
                     ", ".join(names)[:255], "", photo_digests)


def document_upload_check_allowed(registration: Registration, document_type: DocumentType,
                                  actor: User) -> None:
    """Raise a WorkflowError (403) unless this document may be (re)uploaded now.

    The map allows the owner in a draft or a revision; a draft takes any document.
    Submitting (B.8) locks them all; when the verifier sends the registration back
    (C.3), only the documents marked "perlu perbaikan" unlock.
    """
    workflow.require("upload_document", registration, actor)
    if not document_is_replaceable(registration, document_type):
        raise workflow.WorkflowError(ERR_NOT_FLAGGED)


def document_upload(*, registration: Registration, document_type: DocumentType,
                    files: list[UploadedFile], actor: User, request=None) -> Document:
    """B.5: store a new version of one Lampiran 1 document, the latest of which counts.

    One PDF, or one or more photos joined into one PDF (an Akta has many pages). Only a
    file ``check_pdf`` accepts is stored, as the normalized PDF it wrote, with the upload's
    hash; one that needed a repair is marked "diperbaiki" for the verifier. After submitting
    (B.8) the documents are locked, except those the verifier asks to be fixed (C.3).
    """
    document_upload_check_allowed(registration, document_type, actor)
    if document_type.pk not in {dt.pk for dt in document_types_applicable(registration)}:
        raise UploadRefused(ERR_NOT_APPLICABLE, "not_applicable")
    limits = UploadLimits.from_settings()
    with tempfile.TemporaryDirectory(prefix="verifikasi-upload-",
                                     dir=settings.FILE_UPLOAD_TEMP_DIR) as work:
        prepared = _prepare(files, Path(work), limits)
        return _store(registration=registration, document_type=document_type,
                      prepared=prepared, actor=actor, request=request)


def _store(*, registration, document_type, prepared: _Prepared, actor, request) -> Document:
    stored_name = ""
    try:
        with transaction.atomic():
            # Lock the registration: uploads to it line up, and none slips in while the
            # vendor submits (the submit transition takes the same lock).
            locked = Registration.objects.select_for_update().get(pk=registration.pk)
            document_upload_check_allowed(locked, document_type, actor)
            latest = Document.objects.filter(registration=locked, document_type=document_type)
            version = (latest.aggregate(v=Max("version"))["v"] or 0) + 1
            document = Document(
                registration=locked, document_type=document_type, version=version,
                original_name=prepared.original_name, sha256=prepared.sha256,
                original_sha256=prepared.original_sha256,
                size=prepared.size, page_count=prepared.check.page_count,
                repaired=prepared.check.repaired, from_photos=prepared.from_photos,
                check_warnings=prepared.check.warnings, uploaded_by=actor,
            )
            with open(prepared.path, "rb") as f:
                document.file.save("document.pdf", File(f), save=False)
            stored_name = document.file.name
            document.save(force_insert=True)
            audit_log(
                action="document.uploaded", actor=actor, office=locked.office, obj=document,
                request=request,
                details={
                    "registration": str(locked.code), "type": document_type.code,
                    "version": version, "sha256": prepared.sha256, "size": prepared.size,
                    "original_sha256": prepared.original_sha256,
                    "photo_sha256s": prepared.photo_sha256s,
                    "pages": prepared.check.page_count, "repaired": prepared.check.repaired,
                    "from_photos": prepared.from_photos, "warnings": prepared.check.warnings,
                },
            )
            # A task row in the same database: it commits or rolls back with the upload.
            enqueue("verifikasi.registrations.tasks.document_thumbnail_render", document.pk)
    except IntegrityError:
        # Only possible if the row lock is not honoured (two versions numbered alike).
        if stored_name:
            default_storage.delete(stored_name)
        raise UploadRefused(ERR_CONCURRENT, "concurrent") from None
    except BaseException:
        if stored_name:
            default_storage.delete(stored_name)
        raise
    return document


def _thumbnail_name(document: Document) -> str:
    return re.sub(r"\.pdf$", "", document.file.name) + "-p1.png"


def document_thumbnail_render(document_id: int) -> str:
    """Render page 1 of a stored document as a PNG for the vendor's card (run by the worker).

    Idempotent: a document that already has a thumbnail, or no longer exists, is left alone.
    """
    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        return "missing"
    if document.thumbnail:
        return "exists"
    with tempfile.TemporaryDirectory(prefix="verifikasi-thumb-",
                                     dir=settings.FILE_UPLOAD_TEMP_DIR) as work:
        source, target = Path(work) / "document.pdf", Path(work) / "page-1.png"
        with default_storage.open(document.file.name, "rb") as f, open(source, "wb") as out:
            shutil.copyfileobj(f, out, CHUNK_BYTES)
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
