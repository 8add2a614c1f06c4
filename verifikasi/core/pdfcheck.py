"""Accept an uploaded file only if it really is a PDF we can read and show safely.

Vendors upload scans of KTP, NPWP, NIB and Akta, often from cheap phones. We are strict about
danger (JavaScript, launch actions, embedded files, files built to exhaust the server) and
lenient about harmless imperfection: a PDF with only an owner password (print/copy limits, common
on government PDFs) is accepted, and so is one qpdf has to repair (a broken xref table); the
latter is flagged ``repaired`` so the verifier sees "diperbaiki".

How time and memory stay bounded
--------------------------------
qpdf (via pikepdf) and PDFium (via pypdfium2) are C/C++ parsers fed untrusted input, so
``check_pdf`` does all parsing and rendering in a child process: this file run as a script with
``sys.executable -P`` (by path, so it needs neither the project on ``sys.path`` nor any package
``__init__``; ``-P`` keeps the script's folder off ``sys.path``). Before touching the file the
child limits itself with ``RLIMIT_AS`` (1 GiB: an allocation beyond it fails instead of taking
the server down), ``RLIMIT_CPU`` (a backstop should the parent die) and ``RLIMIT_CORE`` 0 (a crash
must not dump a KTP scan to disk). The parent kills the child when ``timeout_seconds`` pass.
Starting the child costs about 0.15 s; a 10-page phone scan is checked in about 0.5 s in all,
most of it PDFium decoding the page images.

Inside the child, cheap structural checks run before anything is rendered:
- page boxes: a side over ``MAX_PAGE_SIDE_PT`` is refused (a render at any scale would be huge);
- decoded stream sizes: every non-image stream in the file (page contents, form XObjects,
  patterns, fonts, ...) is inflated with ``zlib.decompressobj().decompress(data,
  max_length)``, which stops at a cap without ever holding more than the cap, rather than
  pikepdf's ``read_bytes()``, which would decode a 300 MB "zip bomb" in full. Over
  ``MAX_DECODED_BYTES_PER_STREAM`` or ``MAX_DECODED_BYTES_PER_DOCUMENT`` in total is refused.
  Flate, ASCII85 and ASCIIHex (every filter modern writers use for such streams) are decoded
  this way; a rare LZW/RunLength stream is decoded by qpdf, bounded by the memory limit.
  Images are not decoded (PDFium decodes them only up to their declared size); instead an image
  declaring more than ``MAX_IMAGE_PIXELS_IN_PDF`` pixels is refused.
Only then is every page rendered at a small scale (at most ``RENDER_CHECK_MAX_SIDE_PX`` on the
long side) to prove it can be shown.

``render_thumbnail`` and ``render_page_png`` run in-process (under a lock: PDFium is not
thread-safe) because they are only used on files that already passed ``check_pdf``.

This module must not import Django: the worker and the tests use it without settings.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import functools
import io
import json
import logging
import math
import os
import re
import signal
import subprocess
import sys
import threading
import zlib
from dataclasses import asdict, dataclass
from typing import Any

import img2pdf
import pikepdf
import pypdfium2 as pdfium
from PIL import Image, ImageOps

logger = logging.getLogger(__name__)

StrPath = str | os.PathLike[str]

#: One message per refusal code, in Indonesian: what is wrong and what the vendor can do.
MESSAGES: dict[str, str] = {
    "empty": "Berkas kosong (0 byte). Unggah ulang berkasnya; bila tetap kosong, simpan ulang "
    "dokumen dari aplikasi asalnya.",
    "too_big": "Ukuran berkas melebihi batas yang diizinkan. Kecilkan ukuran PDF (misalnya pindai "
    "ulang dengan resolusi 150–200 dpi atau kompres PDF-nya), lalu unggah lagi.",
    "not_pdf": "Berkas ini bukan PDF, walaupun namanya berakhiran .pdf. Simpan atau ekspor dokumen "
    "sebagai PDF; bila berupa foto, unggah sebagai foto.",
    "corrupt": "PDF rusak atau tidak lengkap (mungkin terpotong saat diunduh atau diunggah) "
    "sehingga tidak dapat dibaca. Pastikan berkas terbuka utuh di perangkat Anda, simpan ulang "
    "sebagai PDF, lalu unggah lagi.",
    "encrypted": "PDF dilindungi kata sandi — simpan ulang tanpa kata sandi, lalu unggah lagi.",
    "no_pages": "PDF tidak berisi satu halaman pun. Simpan ulang dokumen sebagai PDF, lalu unggah "
    "lagi.",
    "too_many_pages": "Jumlah halaman PDF melebihi batas. Unggah hanya halaman yang diminta untuk "
    "dokumen ini.",
    "javascript": "PDF berisi JavaScript, yang tidak diizinkan demi keamanan. Cetak ulang dokumen "
    "ke PDF (menu Cetak → Simpan sebagai PDF), lalu unggah hasilnya.",
    "launch": "PDF berisi perintah untuk menjalankan program lain (aksi Launch), yang tidak "
    "diizinkan demi keamanan. Cetak ulang dokumen ke PDF (menu Cetak → Simpan sebagai PDF), lalu "
    "unggah hasilnya.",
    "embedded_files": "PDF berisi lampiran berkas di dalamnya, yang tidak diizinkan. Hapus "
    "lampirannya atau cetak ulang dokumen ke PDF, lalu unggah hasilnya.",
    "page_too_large": "Ukuran halaman PDF tidak wajar (terlalu besar). Simpan ulang dokumen dengan "
    "ukuran kertas biasa, misalnya A4 atau F4, lalu unggah lagi.",
    "inflate_bomb": "PDF berisi data yang membengkak sangat besar saat dibuka, sehingga tidak "
    "dapat diproses dengan aman. Cetak ulang dokumen ke PDF (menu Cetak → Simpan sebagai PDF), "
    "lalu unggah hasilnya.",
    "render_failed": "Halaman PDF tidak dapat ditampilkan. Pastikan semua halaman tampil benar di "
    "perangkat Anda, simpan ulang sebagai PDF, lalu unggah lagi.",
    "timeout": "PDF terlalu lama diproses karena terlalu rumit. Sederhanakan dokumen (misalnya "
    "pindai ulang, atau cetak ulang ke PDF), lalu unggah lagi.",
    "not_image": "Berkas ini bukan foto yang dapat dibaca. Gunakan foto JPEG, PNG, atau HEIC dari "
    "kamera ponsel, atau unggah dokumen dalam bentuk PDF.",
    "image_too_large": "Resolusi foto terlalu besar untuk diproses. Ambil ulang foto dengan "
    "resolusi kamera biasa (misalnya 12 MP), lalu unggah lagi.",
}

#: Notes for the verifier on an accepted file.
WARNING_REPAIRED_XREF = "PDF diperbaiki otomatis (tabel xref rusak)"
WARNING_REPAIRED_OTHER = "PDF diperbaiki otomatis (struktur berkas rusak ringan)"
WARNING_RESTRICTIONS = (
    "PDF memiliki kata sandi pemilik (pembatasan cetak/salin); dapat dibuka tanpa kata sandi"
)

# Acrobat looks for "%PDF-" within the first 1024 bytes and "%%EOF" within the last 1024.
# A missing "%%EOF" almost always means an interrupted download or upload, and qpdf would
# otherwise "repair" the half file into one with blank pages.
HEADER_WINDOW = 1024
TRAILER_WINDOW = 1024
# Formats that may carry a PDF inside their first kilobyte (a ZIP storing a PDF uncompressed,
# an image with a PDF in its metadata): readers would find the "%PDF-", but such a polyglot
# is not a PDF document.
FOREIGN_SIGNATURES = (
    b"PK\x03\x04",  # ZIP, and so DOCX/XLSX/ODT
    b"\x89PNG",
    b"\xff\xd8\xff",  # JPEG
    b"GIF8",
    b"\xd0\xcf\x11\xe0",  # OLE: DOC/XLS
    b"Rar!",
    b"7z\xbc\xaf",
    b"\x1f\x8b",  # gzip
)

# 100 inches: twice the long side of A0. Real documents are far smaller; PDF's own limit is
# 200 inches (14400 pt), so a page of that size is a broken or hostile file.
MAX_PAGE_SIDE_PT = 100 * 72
MAX_DECODED_BYTES_PER_STREAM = 50 * 1024 * 1024
MAX_DECODED_BYTES_PER_DOCUMENT = 200 * 1024 * 1024
# 10000 x 10000: a 600 dpi A3 scan fits; PDFium decodes each image in full when drawing it.
MAX_IMAGE_PIXELS_IN_PDF = 100_000_000

RENDER_CHECK_SCALE = 0.5
RENDER_CHECK_MAX_SIDE_PX = 1000
CHILD_MEMORY_LIMIT_BYTES = 1024 * 1024 * 1024

# Photos: the long side after downscaling, and the JPEG quality of the re-encoded image.
PHOTO_MAX_SIDE_PX = 2500
PHOTO_JPEG_QUALITY = 85
PHOTO_FORMATS = ("JPEG", "PNG", "HEIF")
A4_PT = (img2pdf.mm_to_pt(210), img2pdf.mm_to_pt(297))

# A rendered page image is at most this many times taller than wide (a pathological page
# 1 pt wide would otherwise become a multi-gigabyte bitmap).
MAX_RENDER_ASPECT = 10

_FLATE = {"/FlateDecode", "/Fl"}
_ASCII85 = {"/ASCII85Decode", "/A85"}
_ASCIIHEX = {"/ASCIIHexDecode", "/AHx"}
_IMAGE_CODECS = {"/DCTDecode", "/DCT", "/JPXDecode", "/JBIG2Decode", "/CCITTFaxDecode", "/CCF"}
_PDF_WHITESPACE = b" \t\n\r\x0b\x0c\x00"
# Small input chunks, so a damaged Flate stream loses little of its count when zlib gives up.
_INFLATE_CHUNK = 4096

_PDFIUM_LOCK = threading.Lock()


@dataclass(frozen=True)
class PdfCheckResult:
    """An accepted PDF: what the verifier should know about it."""

    page_count: int
    repaired: bool
    warnings: list[str]  # Indonesian notes for the verifier
    owner_password_only: bool


class PdfRejected(Exception):  # noqa: N818 - a refusal, not an error of ours
    """The file is refused; ``message`` (Indonesian) says why and how to fix it.

    ``detail`` is a technical note in English for logs, never shown to the vendor.
    """

    def __init__(self, code: str, detail: str = "") -> None:
        self.code = code
        self.message = MESSAGES[code]
        self.detail = detail
        super().__init__(f"{code}: {detail}" if detail else code)


# --------------------------------------------------------------------------------------------
# check_pdf: cheap checks here, the parsing and rendering in a child process


def check_pdf(
    path: StrPath,
    *,
    max_bytes: int = 20 * 1024 * 1024,
    max_pages: int = 100,
    timeout_seconds: float = 20.0,
) -> PdfCheckResult:
    """Accept the file only if it is a PDF that opens without a password and renders safely.

    Raises ``PdfRejected`` with a stable ``code`` and an Indonesian ``message``. Parsing and
    rendering run in a child process limited in memory and killed after ``timeout_seconds``.
    """
    path = os.path.abspath(os.fspath(path))
    size = os.stat(path).st_size
    if size == 0:
        raise PdfRejected("empty")
    if size > max_bytes:
        raise PdfRejected("too_big", f"{size} bytes > {max_bytes}")
    with open(path, "rb") as f:
        head = f.read(HEADER_WINDOW)
        f.seek(max(0, size - TRAILER_WINDOW))
        tail = f.read(TRAILER_WINDOW)
    if b"%PDF-" not in head or head.startswith(FOREIGN_SIGNATURES):
        raise PdfRejected("not_pdf", f"starts with {head[:8]!r}")
    if b"%%EOF" not in tail:
        raise PdfRejected("corrupt", "no %%EOF near the end: the file is truncated")

    outcome = _run_child(path, max_pages=max_pages, timeout_seconds=timeout_seconds)
    if not outcome["ok"]:
        raise PdfRejected(outcome["code"], outcome.get("detail", ""))
    return PdfCheckResult(
        page_count=outcome["page_count"],
        repaired=outcome["repaired"],
        warnings=list(outcome["warnings"]),
        owner_password_only=outcome["owner_password_only"],
    )


def _run_child(path: str, *, max_pages: int, timeout_seconds: float) -> dict[str, Any]:
    cpu_seconds = math.ceil(timeout_seconds) + 1
    command = [
        sys.executable, "-P", os.path.abspath(__file__), "--check", path,
        "--max-pages", str(max_pages), "--cpu-seconds", str(cpu_seconds),
    ]  # fmt: skip
    try:
        child = subprocess.run(  # noqa: S603 - fixed argv, no shell
            command,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout_seconds,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise PdfRejected("timeout", f"not done in {timeout_seconds} s") from None

    lines = child.stdout.decode("utf-8", "replace").strip().splitlines()
    if child.returncode == 0 and lines:
        return json.loads(lines[-1])
    stderr = child.stderr.decode("utf-8", "replace")[-2000:]
    if child.returncode >= 0:
        # The child turns every problem with the file into an answer, so this is ours (a
        # broken install, say): do not blame the vendor's file for it.
        raise RuntimeError(f"pdfcheck child failed with {child.returncode}: {stderr}")
    if child.returncode == -getattr(signal, "SIGXCPU", 0):
        raise PdfRejected("timeout", "CPU time limit")
    # Killed by a signal: PDFium or qpdf crashed or aborted, e.g. out of memory, on this file.
    logger.warning("pdfcheck child killed by signal %s for %s: %s", -child.returncode, path, stderr)
    raise PdfRejected("render_failed", f"checker killed by signal {-child.returncode}")


def _child_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Check one PDF (run by check_pdf).")
    parser.add_argument("--check", required=True, metavar="PATH")
    parser.add_argument("--max-pages", type=int, required=True)
    parser.add_argument("--cpu-seconds", type=int, required=True)
    args = parser.parse_args(argv)
    _limit_resources(memory_bytes=CHILD_MEMORY_LIMIT_BYTES, cpu_seconds=args.cpu_seconds)
    try:
        result = _inspect(args.check, max_pages=args.max_pages)
        outcome: dict[str, Any] = {"ok": True, **asdict(result)}
    except PdfRejected as e:
        outcome = {"ok": False, "code": e.code, "detail": e.detail}
    except MemoryError:
        outcome = {"ok": False, "code": "render_failed", "detail": "out of memory"}
    except Exception as e:
        # The parsers raise many kinds of errors on hostile input; the file is unreadable
        # to us either way. The traceback goes to stderr, which the parent may log.
        logger.exception("unexpected error while checking %s", args.check)
        outcome = {"ok": False, "code": "corrupt", "detail": f"{type(e).__name__}: {e}"}
    sys.stdout.write(json.dumps(outcome) + "\n")
    return 0


def _limit_resources(*, memory_bytes: int, cpu_seconds: int) -> None:
    try:
        import resource
    except ImportError:  # not POSIX: only the parent's timeout bounds the child
        return
    limits = (
        (resource.RLIMIT_AS, memory_bytes, memory_bytes),
        (resource.RLIMIT_CPU, cpu_seconds, cpu_seconds + 1),  # soft: SIGXCPU, hard: SIGKILL
        (resource.RLIMIT_CORE, 0, 0),
    )
    for limit, soft, hard in limits:
        _old_soft, old_hard = resource.getrlimit(limit)
        if old_hard != resource.RLIM_INFINITY:
            soft, hard = min(soft, old_hard), min(hard, old_hard)
        resource.setrlimit(limit, (soft, hard))


def _inspect(path: str, *, max_pages: int) -> PdfCheckResult:
    """The checks that parse the file; run in the resource-limited child."""
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError as e:
        raise PdfRejected("encrypted", str(e)) from None
    except pikepdf.PdfError as e:
        raise PdfRejected("corrupt", str(e)) from None
    with pdf:
        try:
            page_count = len(pdf.pages)
            if page_count == 0:
                raise PdfRejected("no_pages")
            if page_count > max_pages:
                raise PdfRejected("too_many_pages", f"{page_count} pages > {max_pages}")
            for number, page in enumerate(pdf.pages, start=1):
                _check_page_size(page, number)
            _check_objects(pdf)
            qpdf_warnings = pdf.get_warnings()
        except pikepdf.PdfError as e:
            raise PdfRejected("corrupt", str(e)) from None
        owner_password_only = pdf.is_encrypted

    _render_every_page(path, expected_pages=page_count)

    warnings = []
    if qpdf_warnings:
        xref = any("xref" in w or "cross-reference" in w for w in qpdf_warnings)
        warnings.append(WARNING_REPAIRED_XREF if xref else WARNING_REPAIRED_OTHER)
    if owner_password_only:
        warnings.append(WARNING_RESTRICTIONS)
    return PdfCheckResult(
        page_count=page_count,
        repaired=bool(qpdf_warnings),
        warnings=warnings,
        owner_password_only=owner_password_only,
    )


def _check_page_size(page: pikepdf.Page, number: int) -> None:
    user_unit = float(page.obj.get("/UserUnit", 1))
    for box in (page.mediabox, page.cropbox):
        try:
            x0, y0, x1, y1 = (float(v) for v in box)
        except (TypeError, ValueError):
            continue  # a malformed box: PDFium falls back to a default page size
        width, height = abs(x1 - x0) * user_unit, abs(y1 - y0) * user_unit
        if max(width, height) > MAX_PAGE_SIDE_PT:
            raise PdfRejected("page_too_large", f"page {number} is {width:.0f} x {height:.0f} pt")


def _check_objects(pdf: pikepdf.Pdf) -> None:
    """Look at every object in the file once, reachable or not.

    Refuses active content wherever it hides (document or page actions, annotations, form
    fields, name trees) and bounds what the streams inflate to. Each object is first matched
    as text (qpdf's canonical form, fast) against the names the rules look for; only the few
    that match are examined as dictionaries. qpdf writes names canonically, so
    ``/J#61vaScript`` in the file is ``/JavaScript`` here.
    """
    budget = MAX_DECODED_BYTES_PER_DOCUMENT
    for obj in [pdf.trailer, *pdf.objects]:
        if isinstance(obj, pikepdf.Stream):
            entries = obj.stream_dict
            budget -= _stream_cost(obj, entries, budget)
            if budget < 0:
                raise PdfRejected("inflate_bomb", "streams inflate past the document limit")
            text = entries.unparse()
        else:
            text = obj.unparse(resolved=True)
        if _ACTIVE_CONTENT_HINT.search(text):
            _refuse_active_content(obj)


# Every dictionary _refuse_active_content refuses has one of these in its text (as a prefix
# of a longer name too: a false match only costs a closer look).
_ACTIVE_CONTENT_HINT = re.compile(rb"/(?:JS|JavaScript|Launch|EF|EmbeddedFile|FileAttachment)")


def _refuse_active_content(obj: pikepdf.Object) -> None:
    """Check one object and the direct objects nested in it (indirect ones get their turn)."""
    stack = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Array):
            stack.extend(v for v in item if _is_direct_container(v))
            continue
        if isinstance(item, pikepdf.Stream):
            entries = item.stream_dict
        elif isinstance(item, pikepdf.Dictionary):
            entries = item
        else:
            continue
        action = entries.get("/S")
        if "/JS" in entries or action == "/JavaScript":
            raise PdfRejected("javascript")
        if action == "/Launch":
            raise PdfRejected("launch")
        if (
            "/EF" in entries
            or "/EmbeddedFiles" in entries
            or entries.get("/Subtype") == "/FileAttachment"
            or entries.get("/Type") == "/EmbeddedFile"
        ):
            raise PdfRejected("embedded_files")
        stack.extend(v for v in entries.values() if _is_direct_container(v))


def _is_direct_container(value: Any) -> bool:
    return isinstance(value, (pikepdf.Dictionary, pikepdf.Array)) and not value.is_indirect


def _stream_cost(stream: pikepdf.Stream, entries: pikepdf.Dictionary, budget: int) -> int:
    """Decoded length of a non-image stream (at most the cap + 1); raises past the cap."""
    if entries.get("/Subtype") == "/Image":
        width, height = entries.get("/Width", 0), entries.get("/Height", 0)
        pixels = width * height if isinstance(width, int) and isinstance(height, int) else 0
        if pixels > MAX_IMAGE_PIXELS_IN_PDF:
            raise PdfRejected("inflate_bomb", f"image of {width} x {height} pixels")
        return 0
    names = _filter_names(entries.get("/Filter"))
    if any(name in _IMAGE_CODECS for name in names):
        return 0
    cap = min(MAX_DECODED_BYTES_PER_STREAM, budget)
    length = _bounded_decoded_length(stream, names, cap)
    if length > cap:
        raise PdfRejected("inflate_bomb", f"a stream inflates past {cap} bytes")
    return length


def _filter_names(filters: Any) -> list[str]:
    if isinstance(filters, pikepdf.Array):
        return [str(f) for f in filters]
    return [] if filters is None else [str(filters)]


def _bounded_decoded_length(stream: pikepdf.Stream, filters: list[str], cap: int) -> int:
    data = stream.read_raw_bytes()  # as stored (decrypted), so at most the file's size
    for name in filters:
        try:
            if name in _FLATE:
                data = _inflate(data, cap)
            elif name in _ASCII85:
                data = base64.a85decode(
                    data.split(b"~>")[0], adobe=False, ignorechars=_PDF_WHITESPACE
                )
            elif name in _ASCIIHEX:
                hex_digits = b"".join(data.split(b">")[0].split())
                data = binascii.unhexlify(hex_digits + b"0" * (len(hex_digits) % 2))
            else:
                return _decoded_length_by_qpdf(stream)
        except ValueError:
            return _decoded_length_by_qpdf(stream)
        if len(data) > cap:
            break
    return len(data)


def _decoded_length_by_qpdf(stream: pikepdf.Stream) -> int:
    # LZW, RunLength, or data our decoders above refuse: rare in files made this century.
    # qpdf decodes it in full; the child's memory limit is what bounds it.
    try:
        return len(stream.read_bytes())
    except pikepdf.PdfError:
        return 0  # undecodable: PDFium will have its say when rendering
    except MemoryError:
        raise PdfRejected("inflate_bomb", "a stream exhausts memory when decoded") from None


def _inflate(data: bytes, cap: int) -> bytes:
    """Inflate at most cap + 1 bytes; what decodes before damage counts, as in PDF readers."""
    inflater = zlib.decompressobj()
    out = bytearray()
    view = memoryview(data)
    for start in range(0, len(view), _INFLATE_CHUNK):
        chunk = view[start : start + _INFLATE_CHUNK]
        while chunk:
            try:
                out += inflater.decompress(chunk, cap + 1 - len(out))
            except zlib.error:
                return bytes(out)
            if len(out) > cap:
                return bytes(out)
            chunk = inflater.unconsumed_tail
        if inflater.eof:
            break
    return bytes(out)


def _render_every_page(path: str, *, expected_pages: int) -> None:
    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as e:
        raise PdfRejected("corrupt", f"PDFium cannot open it: {e}") from None
    try:
        if len(document) != expected_pages:
            # The two parsers disagree about what the file contains: the verifier could see
            # a different document from the one another reader shows.
            raise PdfRejected(
                "corrupt", f"qpdf sees {expected_pages} pages, PDFium {len(document)}"
            )
        for index in range(len(document)):
            page = document[index]
            try:
                width, height = page.get_size()
                scale = min(RENDER_CHECK_SCALE, RENDER_CHECK_MAX_SIDE_PX / max(width, height, 1))
                page.render(scale=scale).close()
            except (pdfium.PdfiumError, ValueError, MemoryError) as e:
                raise PdfRejected("render_failed", f"page {index + 1}: {e}") from None
            finally:
                page.close()
    finally:
        document.close()


# --------------------------------------------------------------------------------------------
# Photos to PDF


@functools.cache
def _register_heif() -> None:
    import pillow_heif

    pillow_heif.register_heif_opener()


def images_to_pdf(
    image_paths: list[StrPath], out_path: StrPath, *, max_pixels: int = 40_000_000
) -> None:
    """Join phone photos (JPEG, PNG, HEIC/HEIF) into one PDF, one A4 page per photo, in order.

    Each photo is turned upright (EXIF orientation), flattened to RGB on white, reduced to
    ``PHOTO_MAX_SIDE_PX`` on the long side and re-encoded as JPEG, which also drops EXIF data
    such as the GPS position. A photo that is not a decodable image is refused ("not_image"),
    as is one that would decode to more than ``max_pixels`` pixels ("image_too_large"); JPEGs
    are decoded at a reduced scale where possible, so a 50 MP phone photo still converts.
    """
    if not image_paths:
        raise ValueError("images_to_pdf needs at least one photo")
    _register_heif()
    jpegs = [
        _photo_to_jpeg(os.fspath(p), max_pixels=max_pixels, number=n)
        for n, p in enumerate(image_paths, start=1)
    ]
    layout = img2pdf.get_layout_fun(A4_PT, fit=img2pdf.FitMode.into, auto_orient=True)
    with open(out_path, "wb") as out:
        img2pdf.convert(jpegs, layout_fun=layout, outputstream=out)


def _photo_to_jpeg(path: str, *, max_pixels: int, number: int) -> bytes:
    try:
        with Image.open(path, formats=PHOTO_FORMATS) as image:
            # For JPEG, let the decoder scale down by 1/2, 1/4 or 1/8 while decoding.
            long_side = max(image.size)
            if long_side > PHOTO_MAX_SIDE_PX:
                ratio = PHOTO_MAX_SIDE_PX / long_side
                image.draft("RGB", (int(image.width * ratio), int(image.height * ratio)))
            if image.width * image.height > max_pixels:
                raise PdfRejected(
                    "image_too_large", f"photo {number}: {image.width} x {image.height} pixels"
                )
            image.load()
            upright = ImageOps.exif_transpose(image)
            rgb = _flatten_to_rgb(upright)
    except Image.DecompressionBombError as e:
        raise PdfRejected("image_too_large", f"photo {number}: {e}") from None
    except PdfRejected:
        raise
    except Exception as e:
        # Pillow and its plugins raise OSError, ValueError, SyntaxError, EOFError and more
        # on files that are not (whole) images; for the vendor it is one problem.
        raise PdfRejected("not_image", f"photo {number}: {type(e).__name__}: {e}") from None
    rgb.thumbnail((PHOTO_MAX_SIDE_PX, PHOTO_MAX_SIDE_PX), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    rgb.save(buffer, format="JPEG", quality=PHOTO_JPEG_QUALITY)
    return buffer.getvalue()


def _flatten_to_rgb(image: Image.Image) -> Image.Image:
    if image.mode.startswith("I;16"):
        # 16-bit greyscale PNG (some scanner apps): convert("RGB") would clip it to white.
        image = image.convert("I").point(lambda v: v / 256).convert("L")
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    if not has_alpha:
        return image.convert("RGB")
    # Transparent areas (screenshots, scanner apps) become white paper, not black.
    rgba = image.convert("RGBA")
    white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Image.alpha_composite(white, rgba).convert("RGB")


# --------------------------------------------------------------------------------------------
# Rendering pages of checked PDFs


def render_thumbnail(
    path: StrPath, out_path: StrPath, *, page_index: int = 0, width_px: int = 300
) -> None:
    """Write a PNG thumbnail of one page, ``width_px`` wide. Only for files check_pdf accepted."""
    _render_png(path, out_path, page_index=page_index, width_px=width_px)


def render_page_png(
    path: StrPath, out_path: StrPath, *, page_index: int, width_px: int = 1200
) -> None:
    """Write one page as a PNG ``width_px`` wide, for the verifier's page viewer.

    Only for files check_pdf accepted. A page more than ``MAX_RENDER_ASPECT`` times taller
    than wide is drawn narrower, so the image stays a sane size.
    """
    _render_png(path, out_path, page_index=page_index, width_px=width_px)


def _render_png(path: StrPath, out_path: StrPath, *, page_index: int, width_px: int) -> None:
    if not 1 <= width_px <= 10_000:
        raise ValueError(f"width_px must be between 1 and 10000, not {width_px}")
    with _PDFIUM_LOCK:
        document = pdfium.PdfDocument(os.fspath(path))
        try:
            if not 0 <= page_index < len(document):
                raise ValueError(f"page_index {page_index} outside 0..{len(document) - 1}")
            page = document[page_index]
            try:
                width, height = page.get_size()
                scale = min(width_px / width, width_px * MAX_RENDER_ASPECT / height)
                bitmap = page.render(scale=scale)
                image = bitmap.to_pil().convert("RGB")  # a copy, independent of PDFium memory
                bitmap.close()
            finally:
                page.close()
        finally:
            document.close()
    if image.width != width_px and width * scale >= width_px - 1:
        # Rounding in PDFium can leave the bitmap a pixel off the requested width.
        new_height = max(1, round(image.height * width_px / image.width))
        image = image.resize((width_px, new_height), Image.Resampling.LANCZOS)
    image.save(out_path, format="PNG")


if __name__ == "__main__":
    sys.exit(_child_main(sys.argv[1:]))
