"""The checking child process: open, judge, normalize and render one uploaded PDF.

Started by ``check.check_pdf`` (never imported by the web or worker process itself). Before
touching the file it limits itself with ``RLIMIT_AS`` (1 GiB: an allocation beyond it fails
instead of taking the server down), ``RLIMIT_CPU`` (a backstop should the parent die) and
``RLIMIT_CORE`` 0 (a crash must not dump a KTP scan to disk). It prints one JSON line: the
result, or the refusal code.

The order of work:
1. qpdf opens the upload (repairing what it can; its warnings mean "diperbaiki"). A file whose
   end marker is missing *and* whose structure qpdf had to rebuild was cut off: refused.
2. Page count and page sizes; crop boxes larger than the paper are clamped to it, as viewers
   do when they show the page.
3. qpdf writes the normalized file: only the objects reachable from the document (what any
   viewer can see; unreachable leftovers go), a new cross-reference table, streams copied as
   they are (nothing is decompressed, so a "zip bomb" costs nothing here), no encryption.
4. The normalized file is opened again and every object in it is judged (``structure.py``) and
   its streams' decoded sizes bounded (``streams.py``): what is stored is what was judged.
5. PDFium renders every page of the normalized file at a small scale to prove it can be shown.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import asdict
from typing import Any

import pikepdf

from .messages import (
    WARNING_CROP_BOX,
    WARNING_REPAIRED_OTHER,
    WARNING_REPAIRED_XREF,
    WARNING_RESTRICTIONS,
    WARNING_SIGNED,
    PdfCheckResult,
    PdfRejected,
)
from .render import render_every_page
from .structure import check_objects, check_page_size, clamp_crop_box, is_signed

logger = logging.getLogger(__name__)

CHILD_MEMORY_LIMIT_BYTES = 1024 * 1024 * 1024


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Check one PDF (run by check_pdf).")
    parser.add_argument("--check", required=True, metavar="PATH")
    parser.add_argument("--out", required=True, metavar="PATH")
    parser.add_argument("--end", choices=("clean", "trailing", "missing"), default="clean")
    parser.add_argument("--max-pages", type=int, required=True)
    parser.add_argument("--cpu-seconds", type=int, required=True)
    args = parser.parse_args(argv)
    _limit_resources(memory_bytes=CHILD_MEMORY_LIMIT_BYTES, cpu_seconds=args.cpu_seconds)
    try:
        result = inspect(args.check, args.out, end=args.end, max_pages=args.max_pages)
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


def inspect(path: str, out: str, *, end: str, max_pages: int) -> PdfCheckResult:
    """Steps 1-5 of the module docstring; ``out`` receives the normalized PDF."""
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError as e:
        raise PdfRejected("encrypted", str(e)) from None
    except pikepdf.PdfError as e:
        raise PdfRejected("corrupt", str(e)) from None
    with pdf:
        try:
            if end == "missing" and pdf.get_warnings():
                raise PdfRejected("corrupt", "no %%EOF at the end and a damaged structure: "
                                  f"the file is truncated ({pdf.get_warnings()[0]})")
            page_count = len(pdf.pages)
            if page_count == 0:
                raise PdfRejected("no_pages")
            if page_count > max_pages:
                raise PdfRejected("too_many_pages", f"{page_count} pages > {max_pages}")
            clamped = 0
            for number, page in enumerate(pdf.pages, start=1):
                clamped += clamp_crop_box(page)
                check_page_size(page, number)
            owner_password_only = pdf.is_encrypted
            signed = is_signed(pdf)
            # Streams as they are (no decoding, so no inflating); only what the document uses.
            pdf.save(out, stream_decode_level=pikepdf.StreamDecodeLevel.none,
                     compress_streams=False, encryption=False)  # fmt: skip
            qpdf_warnings = pdf.get_warnings()
        except pikepdf.PdfError as e:
            raise PdfRejected("corrupt", str(e)) from None

    try:
        with pikepdf.open(out) as normalized:
            if len(normalized.pages) != page_count:
                raise PdfRejected("corrupt", f"{page_count} pages became "
                                  f"{len(normalized.pages)} when normalized")
            check_objects(normalized)
    except pikepdf.PdfError as e:
        raise PdfRejected("corrupt", f"normalized: {e}") from None
    render_every_page(out, expected_pages=page_count)

    warnings = []
    if qpdf_warnings:
        xref = any("xref" in w or "cross-reference" in w for w in qpdf_warnings)
        warnings.append(WARNING_REPAIRED_XREF if xref else WARNING_REPAIRED_OTHER)
    if clamped:
        warnings.append(WARNING_CROP_BOX)
    if signed:
        warnings.append(WARNING_SIGNED)
    if owner_password_only:
        warnings.append(WARNING_RESTRICTIONS)
    return PdfCheckResult(
        page_count=page_count,
        repaired=bool(qpdf_warnings or clamped),
        warnings=warnings,
        owner_password_only=owner_password_only,
    )
