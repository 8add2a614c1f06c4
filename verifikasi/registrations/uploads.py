"""Document uploads (spec B.4–B.7): receive, store as sent, and hand over to the check.

A vendor uploads one PDF, or one or more phone photos that become one PDF, for one
Lampiran 1 document. What can be judged without reading the content is judged here,
while the vendor waits (no file, too many files, a PDF mixed with photos, an empty file,
a file over the size limit); the bytes are then stored as sent and the document row is
created in the "sedang diperiksa" state with a task for the worker
(``registrations.checking.document_check``), which decides whether ``check_pdf``
accepts it. Nobody but the vendor sees a document before that verdict, and the
registration cannot be submitted while one is unchecked or refused.

The request stays cheap however big the file: Django streams the body to a temporary
file in 1 MiB chunks (``FILE_UPLOAD_MAX_MEMORY_SIZE``), ``UploadLimitHandler`` stops a
file that grows past the limit, and the storage *moves* the temporary file into place
when both are on the same filesystem (no second copy). The bytes are hashed by the worker
as it reads them back for the check (SHA-256 of a 10 MB file costs as much CPU as nginx
spends receiving and storing it).
"""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import (
    FileUploadHandler,
    MemoryFileUploadHandler,
    StopUpload,
    TemporaryFileUploadHandler,
)
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy

from verifikasi.accounts.models import User
from verifikasi.core import pdfcheck
from verifikasi.core.audit import audit_log
from verifikasi.core.prepared import Prepared
from verifikasi.core.queue import enqueue

from . import workflow
from .models import Document, DocumentCheck, DocumentType, Registration
from .revision import document_is_replaceable
from .selectors import document_type_applies, newest_version

#: At most this many photos make one document; a thicker document is scanned to a PDF.
MAX_PHOTOS = 20
#: Files are copied and hashed in chunks of this size.
CHUNK_BYTES = 256 * 1024
#: The request body is parsed in chunks of this size (Django's default, 64 KiB, makes the
#: multipart parser loop 160 times for a 10 MB file; 1 MiB keeps the worker's memory flat).
PARSE_CHUNK_BYTES = 1024 * 1024

#: The registration's columns the upload's checks read under the row lock.
LOCK_FIELDS = ("code", "office_id", "vendor_id", "status", "assigned_to_id")
# Compiled once per connection (core.prepared): every upload takes this lock.
_registration_locked = Prepared(
    lambda pk: Registration.objects.select_for_update().only(*LOCK_FIELDS).filter(pk=pk),
    first=True, pk=int)

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


def too_big(limits: UploadLimits) -> UploadRefused:
    limit = ERR_SIZE_LIMIT % {"size": _size_label(limits.max_bytes)}
    return UploadRefused(f"{pdfcheck.MESSAGES['too_big']} {limit}", "too_big")


def too_many(limits: UploadLimits) -> UploadRefused:
    return UploadRefused(ERR_TOO_MANY_FILES % {"max": limits.max_files}, "too_many_files")


def upload_form_context() -> dict:
    """What the upload form shows and the browser checks before sending (upload.js)."""
    limits = UploadLimits.from_settings()
    return {
        "max_bytes": limits.max_bytes,
        "max_size": _size_label(limits.max_bytes),
        "max_files": limits.max_files,
        "msg_too_big": too_big(limits).message,
        "msg_too_many": too_many(limits).message,
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

    chunk_size = PARSE_CHUNK_BYTES

    def __init__(self, request=None, *, limits: UploadLimits):
        super().__init__(request)
        self.limits = limits
        self.files_seen = 0
        self.refusal: UploadRefused | None = None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.files_seen += 1
        if self.files_seen > self.limits.max_files:
            self.refusal = too_many(self.limits)
            raise StopUpload(connection_reset=False)

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limits.max_bytes:
            self.refusal = too_big(self.limits)
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) keeps the file


class BigChunkMemoryHandler(MemoryFileUploadHandler):
    """Small files (up to ``FILE_UPLOAD_MAX_MEMORY_SIZE``) stay in memory."""

    chunk_size = PARSE_CHUNK_BYTES


class BigChunkTemporaryFileHandler(TemporaryFileUploadHandler):
    """Bigger ones stream to ``FILE_UPLOAD_TEMP_DIR``, from where the storage moves them."""

    chunk_size = PARSE_CHUNK_BYTES


def upload_limit_handler(request) -> UploadLimitHandler:
    """Set ``request``'s upload handlers (before any parsing): the limit, then the memory and
    temporary-file handlers, all reading 1 MiB at a time."""
    handler = UploadLimitHandler(request, limits=UploadLimits.from_settings())
    request.upload_handlers = [handler, BigChunkMemoryHandler(request),
                               BigChunkTemporaryFileHandler(request)]
    return handler




@dataclass(frozen=True)
class FileFacts:
    """What the screen looks at in one uploaded file: its name, type and size as sent and
    its first bytes (an UploadedFile in the request, a part of a body nginx stored)."""

    name: str
    content_type: str
    size: int
    head: bytes

    @classmethod
    def of(cls, upload: UploadedFile) -> "FileFacts":
        upload.seek(0)
        head = upload.read(len(PDF_MAGIC))
        upload.seek(0)
        return cls(upload.name or "", upload.content_type or "", upload.size or 0, head)

    def looks_like_pdf(self) -> bool:
        """Whether the vendor means this file as a PDF (then check_pdf judges its content)."""
        return (self.name.lower().endswith(".pdf")
                or self.content_type.lower() in PDF_CONTENT_TYPES
                or self.head[:len(PDF_MAGIC)] == PDF_MAGIC)


def screen(files: list[FileFacts], limits: UploadLimits) -> bool:
    """What is refused before storing anything (the vendor waits for it); True for a PDF."""
    if not files:
        raise UploadRefused(ERR_NO_FILE, "no_file")
    if len(files) > limits.max_files:
        raise too_many(limits)
    for upload in files:
        if not upload.size:
            raise UploadRefused(pdfcheck.MESSAGES["empty"], "empty")
        if upload.size > limits.max_bytes:
            raise too_big(limits)
    pdfs = [upload.looks_like_pdf() for upload in files]
    if any(pdfs) and len(files) > 1:
        raise UploadRefused(ERR_SEVERAL_PDFS if all(pdfs) else ERR_MIXED,
                            "several_pdfs" if all(pdfs) else "mixed")
    return pdfs[0]


def incoming_delete(entries: list[dict]) -> None:
    """Destroy the bytes of an upload as sent (after the check, or when storing failed)."""
    for entry in entries:
        default_storage.delete(entry["name"])


def incoming_name(registration: Registration) -> str:
    """A random name for bytes as sent (never the vendor's file name)."""
    return f"registrations/{registration.code}/incoming/{uuid.uuid4().hex}"


def _store_incoming(registration: Registration, files: list[UploadedFile]) -> list[dict]:
    """Store each file as sent under a random name; the storage moves a temporary file."""
    entries = []
    try:
        for upload in files:
            name = incoming_name(registration)
            upload.seek(0)
            stored = default_storage.save(name, upload)
            entries.append({"name": stored, "size": upload.size,
                            "original_name": (upload.name or "")[:100]})
    except BaseException:
        incoming_delete(entries)
        raise
    return entries


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
    """B.5: store a new version of one Lampiran 1 document, to be checked by the worker.

    One PDF, or one or more photos to be joined into one PDF (an Akta has many pages).
    The version is "sedang diperiksa" until ``checking.document_check`` accepts it (then it
    is the version that counts) or refuses it (then its bytes are destroyed and the vendor
    reads why). After submitting (B.8) the documents are locked, except those the verifier
    asks to be fixed (C.3).
    """
    upload_allowed(registration, document_type, actor)
    is_pdf = screen([FileFacts.of(f) for f in files], UploadLimits.from_settings())
    incoming = _store_incoming(registration, files)
    try:
        return record_upload(registration=registration, document_type=document_type,
                             incoming=incoming, from_photos=not is_pdf, actor=actor,
                             request=request)
    except BaseException:
        incoming_delete(incoming)
        raise


def upload_allowed(registration: Registration, document_type: DocumentType, actor: User) -> None:
    """Raise WorkflowError or UploadRefused unless this document may be uploaded now (no
    query in a draft: the document type is the office's and active, its condition is read
    from the registration)."""
    document_upload_check_allowed(registration, document_type, actor)
    if not document_type_applies(registration, document_type):
        raise UploadRefused(ERR_NOT_APPLICABLE, "not_applicable")


def record_upload(*, registration, document_type, incoming, from_photos, actor, request,
                  original_name: str | None = None, size: int | None = None) -> Document:
    """The new version "sedang diperiksa", its audit event and its check task, in one
    transaction (``incoming``: the stored bytes as sent, for the worker)."""
    try:
        with transaction.atomic():
            # Lock the registration: uploads to it line up, and none slips in while the
            # vendor submits (the submit transition takes the same lock).
            # Only what the lifecycle map asks (a wide row costs more to build than to read).
            locked = _registration_locked(pk=registration.pk)
            if locked is None:
                raise Registration.DoesNotExist
            document_upload_check_allowed(locked, document_type, actor)
            latest = newest_version(locked.pk, document_type.pk)
            version = (latest.version if latest is not None else 0) + 1
            document = Document.objects.create(
                registration=locked, document_type=document_type, version=version,
                original_name=(original_name if original_name is not None else
                               ", ".join(e["original_name"] for e in incoming))[:255],
                sha256="", size=size if size is not None else sum(e["size"] for e in incoming),
                page_count=0,
                from_photos=from_photos, uploaded_by=actor,
                check_state=DocumentCheck.CHECKING, incoming=incoming,
            )
            audit_log(
                action="document.uploaded", actor=actor, office=registration.office,
                obj=document,
                request=request,
                details={
                    "registration": str(locked.code), "type": document_type.code,
                    "version": version, "size": document.size, "from_photos": from_photos,
                },
            )
            # A task row in the same database: it commits or rolls back with the upload.
            enqueue("verifikasi.registrations.tasks.document_check", document.pk)
    except IntegrityError:
        # Only possible if the row lock is not honoured (two versions numbered alike).
        raise UploadRefused(ERR_CONCURRENT, "concurrent") from None
    return document
