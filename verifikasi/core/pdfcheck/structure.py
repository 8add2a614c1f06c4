"""What a PDF contains: page boxes, and active content judged as a viewer would run it.

Runs in the checking child (``child.py``) on the normalized file, whose objects are exactly
those reachable from the document: whatever is refused here is something a viewer could
reach, and whatever is accepted is what gets stored.
"""

from __future__ import annotations

import re
from typing import Any

import pikepdf

from .messages import PdfRejected
from .streams import MAX_DECODED_BYTES_PER_DOCUMENT, stream_cost

# 100 inches: twice the long side of A0. Real documents are far smaller; PDF's own limit is
# 200 inches (14400 pt), so a page of that size is a broken or hostile file.
MAX_PAGE_SIDE_PT = 100 * 72

# Actions a viewer carries out (on opening, on a page, on a click, from a form field or a
# bookmark) that run code or open another file. Everything else (go to a page, open a web
# link, print, submit a form, show or hide a field) is harmless in a document we only read.
_RUNS_CODE = {"/JavaScript"}
_LAUNCHES = {"/Launch"}
_OPENS_FILE = {"/GoToR", "/GoToE", "/ImportData"}

# Every dictionary _judge refuses has one of these in its text (as a prefix of a longer name
# too: a false match only costs a closer look). qpdf writes names canonically, so
# ``/J#61vaScript`` in the file is ``/JavaScript`` here.
_ACTIVE_CONTENT_HINT = re.compile(
    rb"/(?:JS|JavaScript|Launch|GoToR|GoToE|ImportData|OnInstantiate|EF|EmbeddedFile"
    rb"|FileAttachment)"
)


def clamp_crop_box(page: pikepdf.Page) -> int:
    """Clamp the page's crop box to its media box, as viewers do; 1 if it changed, else 0.

    A crop box reaching past the paper (or off it entirely) makes PDFium refuse to render the
    page, and an absurd one would trip the page-size limit, although the paper is fine.
    """
    media, crop = _box(page.mediabox), _box(page.cropbox)
    if media is None or crop is None:
        return 0
    clamped = (max(media[0], crop[0]), max(media[1], crop[1]),
               min(media[2], crop[2]), min(media[3], crop[3]))  # fmt: skip
    if clamped == crop:
        return 0
    if clamped[0] >= clamped[2] or clamped[1] >= clamped[3]:
        # Off the paper altogether: viewers show the whole paper.
        page.obj.CropBox = pikepdf.Array(media)
    else:
        page.obj.CropBox = pikepdf.Array(clamped)
    return 1


def _box(box: Any) -> tuple[float, float, float, float] | None:
    """A box as (left, bottom, right, top) whatever corners it names; None if malformed."""
    try:
        x0, y0, x1, y1 = (float(v) for v in box)
    except (TypeError, ValueError):
        return None
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def check_page_size(page: pikepdf.Page, number: int) -> None:
    try:
        user_unit = abs(float(page.obj.get("/UserUnit", 1)))
    except (TypeError, ValueError):
        user_unit = 1.0  # not a number: viewers ignore it
    for box in (page.mediabox, page.cropbox):
        corners = _box(box)
        if corners is None:
            continue  # a malformed box: PDFium falls back to a default page size
        width, height = (corners[2] - corners[0]) * user_unit, (corners[3] - corners[1]) * user_unit
        if max(width, height) > MAX_PAGE_SIDE_PT:
            raise PdfRejected("page_too_large", f"page {number} is {width:.0f} x {height:.0f} pt")


def is_signed(pdf: pikepdf.Pdf) -> bool:
    """Whether the document carries a digital signature (e.g. an NIB signed through OSS).

    Normalizing rewrites the bytes a signature covers, so it cannot be verified on the
    stored copy. Usage rights (/Perms /UR3) are not a signature of the document's author.
    """
    form = pdf.Root.get("/AcroForm")
    if not isinstance(form, pikepdf.Dictionary):
        return False
    flags = form.get("/SigFlags", 0)
    if isinstance(flags, int) and flags & 1:  # SignaturesExist
        return True
    fields = form.get("/Fields")
    return isinstance(fields, pikepdf.Array) and any(
        isinstance(f, pikepdf.Dictionary) and f.get("/FT") == "/Sig" and "/V" in f
        for f in fields
    )


def check_objects(pdf: pikepdf.Pdf) -> None:
    """Look at every object in the file once: active content, and what streams inflate to.

    pikepdf gives indirect objects as its own types for dictionaries, arrays and streams, and
    as plain Python values for the rest (an indirect ``/Length`` is an ``int``, a null or
    free object is ``None``); those hold nothing active. Each container is first matched as
    text (qpdf's canonical form, fast) against the names the rules look for; only the few
    that match are examined as dictionaries.
    """
    budget = MAX_DECODED_BYTES_PER_DOCUMENT
    for obj in [pdf.trailer, *pdf.objects]:
        if isinstance(obj, pikepdf.Stream):
            entries = obj.stream_dict
            budget -= stream_cost(obj, entries, budget)
            if budget < 0:
                raise PdfRejected("inflate_bomb", "streams inflate past the document limit")
            text = entries.unparse()
        elif isinstance(obj, (pikepdf.Dictionary, pikepdf.Array)):
            text = obj.unparse(resolved=True)
        else:
            continue
        if _ACTIVE_CONTENT_HINT.search(text):
            _refuse_active_content(obj)
    _refuse_xfa_scripts(pdf)


# An XFA form (Adobe's XML forms inside a PDF) runs the <script> elements of its template
# (JavaScript or FormCalc) in Acrobat and Reader, whatever the PDF objects say.
_XFA_SCRIPT = re.compile(rb"<(?:[\w.-]+:)?script\b", re.IGNORECASE)


def _refuse_xfa_scripts(pdf: pikepdf.Pdf) -> None:
    form = pdf.Root.get("/AcroForm")
    xfa = form.get("/XFA") if isinstance(form, pikepdf.Dictionary) else None
    packets = xfa if isinstance(xfa, pikepdf.Array) else [xfa]
    for packet in packets:
        if not isinstance(packet, pikepdf.Stream):
            continue
        try:
            # Safe to decode: check_objects has already bounded what every stream inflates to.
            data = packet.read_bytes()
        except pikepdf.PdfError:
            continue
        if _XFA_SCRIPT.search(data):
            raise PdfRejected("javascript", "XFA form with scripts")


def _refuse_active_content(obj: pikepdf.Object) -> None:
    """Judge one object and the direct objects nested in it (indirect ones get their turn)."""
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
        _judge(entries)
        stack.extend(v for v in entries.values() if _is_direct_container(v))


def _judge(entries: pikepdf.Dictionary) -> None:
    # An action's type is a name; anything else there (malformed) counts as no type.
    action = entries.get("/S")
    action = str(action) if isinstance(action, pikepdf.Name) else None
    # /JS is run by a JavaScript action and a rendition action; other actions ignore it, but
    # without an /S a reader might guess.
    if action in _RUNS_CODE or ("/JS" in entries and action in (None, "/Rendition")):
        raise PdfRejected("javascript", f"a {action or 'untyped'} action with /JS")
    if "/OnInstantiate" in entries:  # JavaScript run when a 3D model is shown
        raise PdfRejected("javascript", "3D /OnInstantiate script")
    if action in _LAUNCHES:
        raise PdfRejected("launch")
    if action in _OPENS_FILE:
        raise PdfRejected("opens_file", f"a {action} action")
    # Embedded files: a file attachment annotation, a non-empty /EmbeddedFiles name tree, or
    # an embedded file stream anywhere in the stored document. Only a file specification's
    # /EF is a dictionary of files: /EF in usage rights (/UR3 transform parameters, on
    # pre-filled government forms) is a list of permissions.
    if entries.get("/Subtype") == "/FileAttachment":
        raise PdfRejected("embedded_files", "file attachment annotation")
    if entries.get("/Type") == "/EmbeddedFile":
        raise PdfRejected("embedded_files", "embedded file stream")
    if isinstance(entries.get("/EF"), pikepdf.Dictionary) and len(entries.EF):
        raise PdfRejected("embedded_files", "file specification with /EF")
    tree = entries.get("/EmbeddedFiles")
    if isinstance(tree, pikepdf.Dictionary) and _name_tree_has_entries(tree):
        raise PdfRejected("embedded_files", "/EmbeddedFiles name tree")


def _name_tree_has_entries(tree: pikepdf.Dictionary) -> bool:
    names, kids = tree.get("/Names"), tree.get("/Kids")
    return (isinstance(names, pikepdf.Array) and len(names) > 0) or (
        isinstance(kids, pikepdf.Array) and len(kids) > 0
    )


def _is_direct_container(value: Any) -> bool:
    return isinstance(value, (pikepdf.Dictionary, pikepdf.Array)) and not value.is_indirect
