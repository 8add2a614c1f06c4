"""PDFs that real producers write and viewers open, which the upload check once refused.

Built at test time (no third-party files in git), one helper per cause found in the field
(issue 14), plus the hostile siblings those rules must still refuse and a few producers for
variety. Each helper writes one file into ``folder`` and returns its path.
"""

import io
from pathlib import Path

import img2pdf
import pikepdf
from PIL import Image, ImageDraw

from tests.core.pdf_corpus import _edit, plain_pdf

# --------------------------------------------------------------------------------------------
# Byte-exact PDFs, for structures no library writes on request


def write_raw_pdf(path: Path, objects: dict[int, bytes], *, root: int = 1,
                  free: tuple[int, ...] = (), eof: bool = True) -> Path:
    """Write objects ``{number: body}`` with a correct xref table; ``free`` numbers are listed
    as free entries (deleted objects), and ``eof=False`` leaves out the final ``%%EOF``."""
    size = max([*objects, *free]) + 1
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        if number in offsets:
            out += b"%010d 00000 n \n" % offsets[number]
        else:
            out += b"0000000000 00001 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n" % (size, root, xref)
    if eof:
        out += b"%%EOF\n"
    path.write_bytes(bytes(out))
    return path


def _one_page(content: bytes, *, length: bytes | None = None, extra: bytes = b"") -> dict:
    """Catalog 1, pages 2, page 3, content 4 (with ``length`` as its /Length), font 5."""
    return {
        1: b"<< /Type /Catalog /Pages 2 0 R " + extra + b">>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
           b"/Resources << /Font << /F1 5 0 R >> >> >>",
        4: b"<< /Length " + (length or b"%d" % len(content)) + b" >>\nstream\n" + content
           + b"\nendstream",
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }


_TEXT = b"BT /F1 18 Tf 72 760 Td (NIB 1234567890123) Tj ET"


def indirect_length_pdf(folder: Path) -> Path:
    """The content stream's /Length kept as its own object (``6 0 R``), as many writers do."""
    objects = _one_page(_TEXT, length=b"6 0 R")
    objects[6] = b"%d" % len(_TEXT)
    return write_raw_pdf(folder / "indirect-length.pdf", objects)


def null_objects_pdf(folder: Path) -> Path:
    """A null object referenced from the catalog, and free (deleted) entries in the xref."""
    objects = _one_page(_TEXT, extra=b"/PieceInfo 6 0 R ")
    objects[6] = b"null"
    return write_raw_pdf(folder / "null-objects.pdf", objects, free=(7, 8))


def no_eof_pdf(folder: Path) -> Path:
    """Complete and consistent, but the writer left out the final ``%%EOF``."""
    return write_raw_pdf(folder / "no-eof.pdf", _one_page(_TEXT), eof=False)


def crop_box_past_media_box_pdf(folder: Path, box=(-50, -50, 700, 900)) -> Path:
    def change(pdf):
        pdf.pages[0].obj.CropBox = pikepdf.Array(box)

    return _edit(folder, "crop-box.pdf", change)


def usage_rights_pdf(folder: Path) -> Path:
    """A pre-filled government form: usage rights (/Perms /UR3) whose transform parameters
    list embedded-file permissions under /EF, next to a (harmless) named-destination tree."""

    def change(pdf):
        params = pikepdf.Dictionary(
            Type=pikepdf.Name.TransformParams, V=pikepdf.Name("/2.2"),
            Document=pikepdf.Array([pikepdf.Name.FullSave]),
            Form=pikepdf.Array([pikepdf.Name.Add, pikepdf.Name.FillIn]),
            EF=pikepdf.Array([pikepdf.Name.Create, pikepdf.Name.Delete, pikepdf.Name.Modify,
                              pikepdf.Name.Import]),
        )  # fmt: skip
        signature = pikepdf.Dictionary(
            Type=pikepdf.Name.Sig, Filter=pikepdf.Name("/Adobe.PPKLite"),
            SubFilter=pikepdf.Name("/adbe.pkcs7.detached"),
            Reference=pikepdf.Array([pikepdf.Dictionary(
                Type=pikepdf.Name.SigRef, TransformMethod=pikepdf.Name.UR3,
                TransformParams=params)]),
            ByteRange=pikepdf.Array([0, 10, 20, 10]), Contents=pikepdf.String(b"\0" * 64),
        )  # fmt: skip
        pdf.Root.Perms = pikepdf.Dictionary(UR3=pdf.make_indirect(signature))

    return _edit(folder, "usage-rights.pdf", change)


def signed_pdf(folder: Path) -> Path:
    """The structure of a digitally signed document (as OSS signs an NIB): a signature field
    with its value, and SigFlags saying signatures exist. The signature itself is a dummy."""

    def change(pdf):
        value = pikepdf.Dictionary(
            Type=pikepdf.Name.Sig, Filter=pikepdf.Name("/Adobe.PPKLite"),
            SubFilter=pikepdf.Name("/ETSI.CAdES.detached"),
            ByteRange=pikepdf.Array([0, 10, 20, 10]), Contents=pikepdf.String(b"\0" * 64),
        )  # fmt: skip
        field = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Widget, FT=pikepdf.Name.Sig,
            T=pikepdf.String("Signature1"), Rect=pikepdf.Array([0, 0, 0, 0]), F=132,
            P=pdf.pages[0].obj, V=pdf.make_indirect(value),
        ))  # fmt: skip
        pdf.pages[0].obj.Annots = pikepdf.Array([field])
        pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([field]), SigFlags=3)

    return _edit(folder, "signed.pdf", change)


def html_polyglot_pdf(folder: Path) -> Path:
    """An HTML document in front of ``%PDF-`` (within the first kilobyte): both at once."""
    html = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>\n"
    path = folder / "polyglot.pdf"
    path.write_bytes(html + plain_pdf(folder, pages=2, name="base-polyglot.pdf").read_bytes())
    return path


def trailing_data_pdf(folder: Path) -> Path:
    """A whole archive appended after ``%%EOF``, bigger than the kilobyte readers look at."""
    path = folder / "trailing-data.pdf"
    data = plain_pdf(folder, pages=1, name="base-trailing.pdf").read_bytes()
    path.write_bytes(data + b"PK\x03\x04" + b"x" * 4000)
    return path


def autoprint_pdf(folder: Path) -> Path:
    """Opens the print dialog when opened (a named action): no code, no file."""

    def change(pdf):
        pdf.Root.OpenAction = pikepdf.Dictionary(
            Type=pikepdf.Name.Action, S=pikepdf.Name.Named, N=pikepdf.Name.Print
        )
        pdf.Root.ViewerPreferences = pikepdf.Dictionary(PrintScaling=pikepdf.Name.None_)

    return _edit(folder, "autoprint.pdf", change)


def print_action_with_stray_js_pdf(folder: Path) -> Path:
    """A print action (on opening, and before printing) carrying a /JS entry no viewer runs:
    only JavaScript and rendition actions run /JS."""

    def change(pdf):
        action = pdf.make_indirect(pikepdf.Dictionary(
            S=pikepdf.Name.Named, N=pikepdf.Name.Print, JS=pikepdf.String("")))
        pdf.Root.OpenAction = action
        pdf.Root.AA = pikepdf.Dictionary(WP=action)

    return _edit(folder, "print-stray-js.pdf", change)


def harmless_actions_pdf(folder: Path) -> Path:
    """A web link, a go-to-page link and an empty /EmbeddedFiles tree: nothing to run."""

    def change(pdf):
        uri = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
            Rect=pikepdf.Array([72, 72, 300, 120]),
            A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://lpse.test/")),
        )  # fmt: skip
        goto = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
            Rect=pikepdf.Array([72, 130, 300, 180]),
            A=pikepdf.Dictionary(S=pikepdf.Name.GoTo,
                                 D=pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.Fit])),
        )  # fmt: skip
        pdf.pages[0].obj.Annots = pikepdf.Array([pdf.make_indirect(uri), pdf.make_indirect(goto)])
        pdf.Root.Names = pikepdf.Dictionary(EmbeddedFiles=pikepdf.Dictionary(Names=pikepdf.Array()))

    return _edit(folder, "harmless-actions.pdf", change)


def unreachable_javascript_pdf(folder: Path) -> Path:
    """A JavaScript action left over in the file but referenced from nowhere (an editor's
    leftover): no viewer can run it, and normalizing drops it."""
    objects = _one_page(_TEXT)
    objects[6] = b"<< /S /JavaScript /JS (app.alert(1)) >>"
    return write_raw_pdf(folder / "unreachable-javascript.pdf", objects)


# --------------------------------------------------------------------------------------------
# Hostile siblings


def _link_action(folder: Path, name: str, action: dict) -> Path:
    def change(pdf):
        link = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
            Rect=pikepdf.Array([72, 72, 300, 120]), A=pikepdf.Dictionary(action),
        )  # fmt: skip
        pdf.pages[0].obj.Annots = pikepdf.Array([pdf.make_indirect(link)])

    return _edit(folder, name, change)


def goto_remote_pdf(folder: Path) -> Path:
    """A link that opens another PDF file (from a share, say)."""
    return _link_action(folder, "gotor.pdf", {
        "/S": pikepdf.Name.GoToR, "/F": pikepdf.String("\\\\server\\share\\x.pdf"),
        "/D": pikepdf.Array([0, pikepdf.Name.Fit]),
    })


def goto_embedded_pdf(folder: Path) -> Path:
    """A link into a PDF embedded in another file: /GoToE with a target, no /EF here."""
    return _link_action(folder, "gotoe.pdf", {
        "/S": pikepdf.Name.GoToE, "/F": pikepdf.String("other.pdf"),
        "/T": pikepdf.Dictionary(R=pikepdf.Name.C, N=pikepdf.String("lampiran.pdf")),
    })


def javascript_on_bookmark_pdf(folder: Path) -> Path:
    """JavaScript run when the reader clicks a bookmark (outline item), behind /Next."""

    def change(pdf):
        script = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(4)"))
        first = pikepdf.Dictionary(S=pikepdf.Name.GoTo,
                                   D=pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.Fit]),
                                   Next=script)  # fmt: skip
        item = pdf.make_indirect(pikepdf.Dictionary(Title=pikepdf.String("Bab 1"), A=first))
        outlines = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Outlines, First=item,
                                                        Last=item, Count=1))
        item.Parent = outlines
        pdf.Root.Outlines = outlines

    return _edit(folder, "javascript-bookmark.pdf", change)


def xfa_form_pdf(folder: Path, *, script: bool) -> Path:
    """An XFA form (XML in the PDF, shown by Acrobat); with ``script``, its template runs
    JavaScript when the form is initialised."""
    event = (b'<event activity="initialize"><script contentType="application/x-javascript">'
             b"app.alert(6)</script></event>") if script else b""
    template = (b'<template xmlns="http://www.xfa.org/schema/xfa-template/3.3/">'
                b'<subform name="form1">' + event + b"</subform></template>")

    def change(pdf):
        packets = pikepdf.Array([
            pikepdf.String("preamble"), pdf.make_stream(b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/">'),
            pikepdf.String("template"), pdf.make_stream(template),
            pikepdf.String("postamble"), pdf.make_stream(b"</xdp:xdp>"),
        ])  # fmt: skip
        pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array(), XFA=packets)

    return _edit(folder, f"xfa-{'script' if script else 'plain'}.pdf", change)


def truncated_linearized_pdf(folder: Path) -> Path:
    """A "fast web view" PDF cut in half: its first part ends with an ``%%EOF`` of its own."""
    source = photo_scan_pdf(folder, pages=6, name="base-linearized.pdf")
    linearized = folder / "linearized.pdf"
    with pikepdf.open(source) as pdf:
        pdf.save(linearized, linearize=True)
    data = linearized.read_bytes()
    path = folder / "truncated-linearized.pdf"
    path.write_bytes(data[: len(data) // 2])
    return path


# --------------------------------------------------------------------------------------------
# Producers, for variety


def _scan_jpeg(number: int) -> bytes:
    image = Image.new("L", (620, 877), 235)
    draw = ImageDraw.Draw(image)
    for row in range(30):
        draw.line((50, 40 + row * 27, 550 - (row * number * 37) % 300, 40 + row * 27), fill=30,
                  width=2)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=75)
    return buffer.getvalue()


def photo_scan_pdf(folder: Path, *, pages: int = 2, name: str = "img2pdf.pdf") -> Path:
    """What a scanner app writes: one JPEG per page (img2pdf)."""
    path = folder / name
    path.write_bytes(img2pdf.convert([_scan_jpeg(n) for n in range(1, pages + 1)]))
    return path


def pillow_pdf(folder: Path, *, pages: int = 2) -> Path:
    images = [Image.open(io.BytesIO(_scan_jpeg(n))).convert("RGB") for n in range(1, pages + 1)]
    path = folder / "pillow.pdf"
    images[0].save(path, format="PDF", save_all=True, append_images=images[1:], resolution=75)
    return path


def qpdf_rewrite(source: Path, name: str, **options) -> Path:
    """The same document saved again by qpdf (object streams, QDF, linearized, ...)."""
    path = source.with_name(name)
    with pikepdf.open(source) as pdf:
        pdf.save(path, **options)
    return path


def incremental_update_pdf(folder: Path) -> Path:
    """A document edited in place: a new /Info appended after the first ``%%EOF``, with its
    own xref section pointing back (/Prev) to the first."""
    base = write_raw_pdf(folder / "base-incremental.pdf", _one_page(_TEXT))
    data = base.read_bytes()
    previous = int(data.rsplit(b"startxref", 1)[1].split()[0])
    update = bytearray(data)
    offset = len(update)
    update += b"6 0 obj\n<< /Title (Akta diubah) >>\nendobj\n"
    xref = len(update)
    update += b"xref\n6 1\n%010d 00000 n \n" % offset
    update += b"trailer\n<< /Size 7 /Root 1 0 R /Info 6 0 R /Prev %d >>\n" % previous
    update += b"startxref\n%d\n%%%%EOF\n" % xref
    path = folder / "incremental.pdf"
    path.write_bytes(bytes(update))
    return path
