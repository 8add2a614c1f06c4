"""``check_pdf``: the cheap byte-level checks here, the parsing in a resource-limited child.

qpdf (via pikepdf) and PDFium (via pypdfium2) are C/C++ parsers fed untrusted input, so all
parsing, normalizing and rendering happens in a child process (``child.py``), started with
``sys.executable -P`` and a two-line bootstrap that puts only this project's folder on
``sys.path`` (``-P`` keeps the current folder off it; the package's ``__init__`` modules import
no Django). The child limits its own memory and CPU time; the parent kills it when
``timeout_seconds`` pass. Starting the child costs about 0.15 s, most of a typical check.

Before spending that, the parent refuses what needs no parser (empty, too big, not a PDF at
all) and reads how the file begins and ends: bytes before ``%PDF-`` (a polyglot, e.g. an HTML
page in front of the PDF) and after the last ``%%EOF`` are dropped by normalizing and noted
for the verifier; a file that does not end with ``%%EOF`` is told to the child, which refuses
it only if the parser also finds its structure broken (a file cut off by an interrupted
download), not when it opens cleanly (a writer that forgot the marker).
"""

from __future__ import annotations

import json
import logging
import math
import mmap
import os
import re
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from .messages import (
    WARNING_LEADING_DATA,
    WARNING_NO_EOF,
    WARNING_TRAILING_DATA,
    PdfCheckResult,
    PdfRejected,
)

logger = logging.getLogger(__name__)

StrPath = str | os.PathLike[str]

# Acrobat looks for "%PDF-" within the first 1024 bytes.
HEADER_WINDOW = 1024
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
# After the last "%%EOF": nothing, or line ends and padding, is a clean end.
_CLEAN_END = re.compile(rb"[\s\x00]*\Z")
# An object definition after the last "%%EOF": the PDF goes on, so its real end is missing
# (e.g. the second half of a linearized file, whose first part ends with its own "%%EOF").
_OBJECT_AFTER_END = re.compile(rb"\d+[\s\x00]+\d+[\s\x00]+obj\b")

#: The project folder, put on the child's ``sys.path``.
_PROJECT_ROOT = str(Path(__file__).resolve().parents[3])
_CHILD_BOOTSTRAP = (
    "import sys; sys.path.insert(0, sys.argv.pop(1)); "
    "from verifikasi.core.pdfcheck.child import main; sys.exit(main(sys.argv[1:]))"
)


def check_pdf(
    path: StrPath,
    *,
    normalized_path: StrPath | None = None,
    max_bytes: int = 20 * 1024 * 1024,
    max_pages: int = 100,
    timeout_seconds: float = 20.0,
) -> PdfCheckResult:
    """Accept the file only if it is a PDF that opens without a password and renders safely.

    The accepted document is rewritten by qpdf into ``normalized_path`` (when given): only the
    objects the document uses, a fresh cross-reference table, no bytes before ``%PDF-`` or
    after ``%%EOF``, no encryption, crop boxes clamped to the paper. That file, not the upload,
    is what was checked and rendered, so it is the one to store. Raises ``PdfRejected`` with a
    stable ``code`` and an Indonesian ``message`` (and leaves no ``normalized_path`` behind).
    """
    path = os.path.abspath(os.fspath(path))
    size = os.stat(path).st_size
    if size == 0:
        raise PdfRejected("empty")
    if size > max_bytes:
        raise PdfRejected("too_big", f"{size} bytes > {max_bytes}")
    leading, end = _framing(path)

    if normalized_path is None:
        with tempfile.TemporaryDirectory(prefix="pdfcheck-") as work:
            return check_pdf(path, normalized_path=os.path.join(work, "normalized.pdf"),
                             max_bytes=max_bytes, max_pages=max_pages,
                             timeout_seconds=timeout_seconds)  # fmt: skip
    out = os.path.abspath(os.fspath(normalized_path))
    try:
        outcome = _run_child(path, out, end=end, max_pages=max_pages,
                             timeout_seconds=timeout_seconds)  # fmt: skip
        if not outcome["ok"]:
            raise PdfRejected(outcome["code"], outcome.get("detail", ""))
    except BaseException:
        Path(out).unlink(missing_ok=True)
        raise
    framing = []
    if leading:
        framing.append(WARNING_LEADING_DATA)
    if end == "missing":
        framing.append(WARNING_NO_EOF)
    elif end == "trailing":
        framing.append(WARNING_TRAILING_DATA)
    return PdfCheckResult(
        page_count=outcome["page_count"],
        repaired=bool(framing) or outcome["repaired"],
        warnings=framing + list(outcome["warnings"]),
        owner_password_only=outcome["owner_password_only"],
    )


def _framing(path: str) -> tuple[int, str]:
    """(bytes before "%PDF-", how the file ends: "clean", "trailing" data or "missing").

    Refuses a file without "%PDF-" in its first kilobyte, or one that is another format
    carrying a PDF inside it.
    """
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
        head = data[:HEADER_WINDOW]
        start = head.find(b"%PDF-")
        if start < 0 or head.startswith(FOREIGN_SIGNATURES):
            raise PdfRejected("not_pdf", f"starts with {head[:8]!r}")
        eof = data.rfind(b"%%EOF")
        if eof < 0 or _OBJECT_AFTER_END.search(data, eof):
            return start, "missing"
        return start, "clean" if _CLEAN_END.match(data, eof + 5) else "trailing"


def _run_child(
    path: str, out: str, *, end: str, max_pages: int, timeout_seconds: float
) -> dict[str, Any]:
    cpu_seconds = math.ceil(timeout_seconds) + 1
    command = [
        sys.executable, "-P", "-c", _CHILD_BOOTSTRAP, _PROJECT_ROOT, "--check", path,
        "--out", out, "--end", end, "--max-pages", str(max_pages),
        "--cpu-seconds", str(cpu_seconds),
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
