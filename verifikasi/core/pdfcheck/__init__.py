"""Accept an uploaded file only if it really is a PDF we can read and show safely.

Vendors upload scans of KTP, NPWP, NIB and Akta, often from cheap phones. We are strict about
danger (JavaScript, launch actions, actions opening other files, embedded files, files built to
exhaust the server) and lenient about harmless imperfection: a PDF with only an owner password
(print/copy limits, common on government PDFs) is accepted, and so is one that viewers repair
silently (a broken xref table, no ``%%EOF``, a crop box larger than the paper, bytes before
``%PDF-``). What is stored is not the upload but the document qpdf rewrote from it, the file
that was judged and rendered; when that meant a repair, the verifier sees "diperbaiki".

The modules, by subject:
- ``check``: ``check_pdf``, the byte-level checks and the child process it runs;
- ``child``: the child: open, normalize, judge, render (``RLIMIT_AS``/``RLIMIT_CPU`` bounded);
- ``structure``: page boxes, and active content judged by what a viewer would run;
- ``streams``: what the streams inflate to, bounded without inflating past the bound;
- ``render``: PDFium rendering (the check, thumbnails, the verifier's page images);
- ``photos``: phone photos to a PDF;
- ``messages``: refusal messages for the vendor, notes for the verifier, result types.

Timing: starting the child costs about 0.15 s; a 10-page phone scan is checked in about 0.5 s
in all, most of it PDFium decoding the page images (``bench/pdfcheck_median.py``).

This package must not import Django: the worker, the checking child and the tests use it
without settings.
"""

import importlib

from .messages import (
    MESSAGES,
    WARNING_CROP_BOX,
    WARNING_LEADING_DATA,
    WARNING_NO_EOF,
    WARNING_REPAIRED_OTHER,
    WARNING_REPAIRED_XREF,
    WARNING_RESTRICTIONS,
    WARNING_SIGNED,
    WARNING_TRAILING_DATA,
    PdfCheckResult,
    PdfRejected,
)

# The functions load their module on first use (PEP 562), so the checking child, which
# imports this package on its way to ``child``, does not pay for img2pdf and Pillow: the
# child's start-up is most of the time every upload waits for.
_FUNCTIONS = {
    "check_pdf": ".check",
    "images_to_pdf": ".photos",
    "render_page_png": ".render",
    "render_thumbnail": ".render",
}


def __getattr__(name: str):
    if name in _FUNCTIONS:
        return getattr(importlib.import_module(_FUNCTIONS[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "MESSAGES",
    "WARNING_CROP_BOX",
    "WARNING_LEADING_DATA",
    "WARNING_NO_EOF",
    "WARNING_REPAIRED_OTHER",
    "WARNING_REPAIRED_XREF",
    "WARNING_RESTRICTIONS",
    "WARNING_SIGNED",
    "WARNING_TRAILING_DATA",
    "PdfCheckResult",
    "PdfRejected",
    "check_pdf",
    "images_to_pdf",
    "render_page_png",
    "render_thumbnail",
]
