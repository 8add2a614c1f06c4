"""Uploads whose body nginx stored (docs/deploy.md § 9): the request's half, the worker's half.

Behind the documented nginx the body of an upload from the page (htmx, CSRF token in the
``X-CSRFToken`` header) is written to disk by nginx, and the application gets only its
name (``core.bodyfile``). The request then never reads the body through Python:

- it refuses at once, changing nothing, what the size of the file already says (a body
  larger than every allowed file together) and what the first ``HEAD_BYTES`` and the last
  ``TAIL_BYTES`` show: no file part (``ERR_NO_FILE``, as without nginx), a body that is not
  the multipart its Content-Type says (``ERR_MALFORMED``); a body that fits in the head is
  screened whole, exactly as ``uploads.screen`` screens ``request.FILES``;
- it moves nginx's file into the private storage (a rename on the same filesystem, before
  the response, so nginx's ``clean`` finds nothing to delete) and records the version
  "sedang diperiksa" with its check task in one transaction (``uploads.record_upload``).

The worker (``extract``, from ``checking.document_check``) walks the stored body in
bounded memory (``core.multipart``), writes each file of the form's ``files`` field to its
working folder, with the limits the request's upload handlers apply while a body streams
in (``uploads.UploadLimitHandler``: the 21st file, a file past the size limit), and
screens them with the same ``uploads.screen``: the same refusals, the same messages.
"""

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy

from verifikasi.accounts.models import User
from verifikasi.core.bodyfile import BodyFile
from verifikasi.core.multipart import BodyReader, MalformedBody, Part, Truncated, valid_boundary

from .models import Document, DocumentType, Registration
from .uploads import (
    CHUNK_BYTES,
    ERR_NO_FILE,
    PDF_MAGIC,
    FileFacts,
    UploadLimits,
    UploadRefused,
    incoming_delete,
    incoming_name,
    record_upload,
    screen,
    too_big,
    too_many,
    upload_allowed,
)

#: The request reads this much of the body's start: the form's fields and the first file's
#: headers (a body this small is screened whole).
HEAD_BYTES = 64 * 1024
#: ... and this much of its end: the closing boundary.
TAIL_BYTES = 1024
#: The form field that carries the document's files (as ``request.FILES.getlist``).
FILES_FIELD = "files"

ERR_MALFORMED = gettext_lazy(
    "Berkas tidak diterima utuh: kiriman dari peramban tidak terbaca. Muat ulang halaman, "
    "lalu unggah lagi.")


def _malformed() -> UploadRefused:
    return UploadRefused(ERR_MALFORMED, "malformed")


def body_boundary(request) -> bytes:
    """The multipart boundary the Content-Type names (nginx passes it on unchanged)."""
    if request.content_type != "multipart/form-data":
        raise UploadRefused(ERR_NO_FILE, "no_file")  # as request.FILES would be: empty
    boundary = request.content_params.get("boundary", "")
    if not valid_boundary(boundary):
        raise _malformed()
    return boundary.encode("ascii")


def _limit(part: Part, count: int, limits: UploadLimits) -> None:
    """What ``UploadLimitHandler`` refuses while a body streams in, for one file part."""
    if count > limits.max_files:
        raise too_many(limits)
    if part.size > limits.max_bytes:
        raise too_big(limits)


@dataclass
class _Seen:
    part: Part
    head: bytearray

    def facts(self) -> FileFacts:
        return FileFacts(self.part.filename or "", self.part.content_type, self.part.size,
                         bytes(self.head))


def _first_bytes(seen: _Seen, piece) -> None:
    if len(seen.head) < len(PDF_MAGIC):
        seen.head += piece[:len(PDF_MAGIC) - len(seen.head)]


def _read_head(body: BodyFile, boundary: bytes, limits: UploadLimits) -> tuple[list[FileFacts],
                                                                                bool]:
    """The files of the ``files`` field seen in the head (the last one maybe cut off) and
    whether the head was the whole body; refuses what is already certain."""
    with open(body.path, "rb") as f:
        head = f.read(HEAD_BYTES)
        complete = len(head) >= body.size
        if not complete:
            f.seek(body.size - TAIL_BYTES)
            if not f.read(TAIL_BYTES).rstrip(b"\r\n").endswith(b"--" + boundary + b"--"):
                raise _malformed()
    reader = BodyReader(io.BytesIO(head), boundary, chunk_size=HEAD_BYTES)
    seen: list[_Seen] = []
    count = 0
    try:
        for part in reader.parts():
            if part.filename is None:
                continue
            count += 1
            one = _Seen(part, bytearray())
            if part.field == FILES_FIELD:
                seen.append(one)
            for piece in reader.data():
                _first_bytes(one, piece)
            _limit(part, count, limits)
    except Truncated:
        if complete:
            raise _malformed() from None
    except MalformedBody:
        raise _malformed() from None
    return [s.facts() for s in seen], complete


class _StoredBody(File):
    """nginx's file, for the storage to move (local disk: a rename) or to read (S3)."""

    def __init__(self, f, body: BodyFile):
        super().__init__(f, name=body.path.name)
        self.size = body.size
        self._path = body.path

    def temporary_file_path(self) -> str:
        return str(self._path)


def document_upload_handed(*, registration: Registration, document_type: DocumentType,
                           body: BodyFile, boundary: bytes, actor: User,
                           request=None) -> Document:
    """B.5 with the body nginx stored: refuse what can be seen cheaply, store the body as
    sent, record the version "sedang diperiksa"; the worker finds the files in it."""
    upload_allowed(registration, document_type, actor)
    limits = UploadLimits.from_settings()
    if body.size > limits.max_files * limits.max_bytes + HEAD_BYTES:
        raise too_big(limits)  # no upload that could be accepted is this large
    files, complete = _read_head(body, boundary, limits)
    if complete:
        is_pdf = screen(files, limits)
    elif not files:
        raise UploadRefused(ERR_NO_FILE, "no_file")
    else:
        is_pdf = files[0].looks_like_pdf()  # the worker screens them all
    with open(body.path, "rb") as f:
        stored = default_storage.save(incoming_name(registration), _StoredBody(f, body))
    incoming = [{"name": stored, "size": body.size, "original_name": files[0].name[:100],
                 "multipart": boundary.decode("ascii")}]
    try:
        return record_upload(
            registration=registration, document_type=document_type, incoming=incoming,
            from_photos=not is_pdf, actor=actor, request=request,
            original_name=", ".join(f.name for f in files) if complete else files[0].name,
            size=sum(f.size for f in files) if complete else body.size)
    except BaseException:
        incoming_delete(incoming)
        raise


# The worker's half


@dataclass
class Extracted:
    path: Path
    name: str
    sha256: str
    size: int


def is_handed(entry: dict) -> bool:
    """Whether a stored upload is a whole body nginx stored (not one file as sent)."""
    return bool(entry.get("multipart"))


def extract(entry: dict, work: Path, limits: UploadLimits) -> tuple[list[Extracted], bool]:
    """The files of the ``files`` field in a stored body, each written to ``work`` (hashed
    on the way), and whether it is one PDF; UploadRefused as the request would refuse.
    Reads ``CHUNK_BYTES`` at a time; never more than a chunk of the body is in memory."""
    boundary = entry["multipart"].encode("ascii")
    files: list[Extracted] = []
    facts: list[FileFacts] = []
    count = 0
    with default_storage.open(entry["name"], "rb") as f:
        reader = BodyReader(f, boundary, chunk_size=CHUNK_BYTES)
        try:
            for part in reader.parts():
                if part.filename is None:
                    continue
                count += 1
                _limit(part, count, limits)
                if part.field != FILES_FIELD:
                    for _ in reader.data():
                        _limit(part, count, limits)
                    continue
                one = _Seen(part, bytearray())
                target = work / f"upload-{len(files) + 1}"
                digest = hashlib.sha256()
                with open(target, "wb") as out:
                    for piece in reader.data():
                        _limit(part, count, limits)
                        _first_bytes(one, piece)
                        digest.update(piece)
                        out.write(piece)
                files.append(Extracted(target, part.filename, digest.hexdigest(), part.size))
                facts.append(one.facts())
        except MalformedBody:
            raise _malformed() from None
    return files, screen(facts, limits)
