"""Drawing pages with PDFium: the render check in the child, and page images for people.

``render_thumbnail`` and ``render_page_png`` run in-process (under a lock: PDFium is not
thread-safe) because they are only used on stored files, which ``check_pdf`` normalized and
rendered once already.
"""

from __future__ import annotations

import os
import threading

import pypdfium2 as pdfium

from .messages import PdfRejected

StrPath = str | os.PathLike[str]

RENDER_CHECK_SCALE = 0.5
RENDER_CHECK_MAX_SIDE_PX = 1000
# A rendered page image is at most this many times taller than wide (a pathological page
# 1 pt wide would otherwise become a multi-gigabyte bitmap).
MAX_RENDER_ASPECT = 10

_PDFIUM_LOCK = threading.Lock()


def render_every_page(path: str, *, expected_pages: int) -> None:
    """Render each page small, to prove it can be shown (in the checking child)."""
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
        from PIL import Image  # here, not above: the checking child never needs Pillow

        # Rounding in PDFium can leave the bitmap a pixel off the requested width.
        new_height = max(1, round(image.height * width_px / image.width))
        image = image.resize((width_px, new_height), Image.Resampling.LANCZOS)
    image.save(out_path, format="PNG")
