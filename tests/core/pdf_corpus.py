"""Good and bad sample files for the upload checks, built at test time (no binaries in git).

Each helper writes one file into ``folder`` and returns its path.
"""

import functools
import re
import zipfile
import zlib
from pathlib import Path

import pikepdf
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


def plain_pdf(folder: Path, *, pages: int = 3, name: str = "plain.pdf") -> Path:
    """A text PDF as office software writes it (reportlab: ASCII85 + Flate content streams)."""
    path = folder / name
    c = canvas.Canvas(str(path), pagesize=A4)
    for number in range(1, pages + 1):
        c.drawString(72, 760, f"Akta Pendirian CV Maju Jaya - halaman {number}")
        c.rect(72, 600, 300, 100)
        c.showPage()
    c.save()
    return path


def _edit(folder: Path, name: str, change) -> Path:
    """Start from a plain one-page PDF, let ``change(pdf)`` edit it, save it as ``name``."""
    pdf = pikepdf.open(plain_pdf(folder, pages=1, name=f"base-{name}"))
    change(pdf)
    path = folder / name
    # Keep streams exactly as written: by default qpdf re-encodes some of them on save.
    pdf.save(path, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return path


def owner_password_pdf(folder: Path) -> Path:
    """Print/copy restrictions only: opens without a password, as government PDFs often do."""
    pdf = pikepdf.open(plain_pdf(folder, pages=2, name="base-owner.pdf"))
    path = folder / "owner-password.pdf"
    restrictions = pikepdf.Permissions(print_highres=False, extract=False)
    pdf.save(path, encryption=pikepdf.Encryption(owner="x", user="", allow=restrictions))
    return path


def user_password_pdf(folder: Path) -> Path:
    pdf = pikepdf.open(plain_pdf(folder, pages=1, name="base-user.pdf"))
    path = folder / "user-password.pdf"
    pdf.save(path, encryption=pikepdf.Encryption(owner="pemilik", user="rahasia"))
    return path


def damaged_xref_pdf(folder: Path) -> Path:
    """Every xref offset and startxref wrong, as after a careless edit; qpdf rebuilds the table."""
    data = plain_pdf(folder, pages=2, name="base-xref.pdf").read_bytes()
    data = re.sub(rb"(\d{10}) 00000 n", lambda m: b"%010d 00000 n" % (int(m[1]) + 7), data)
    data = re.sub(rb"startxref\s+\d+", b"startxref\n999", data)
    path = folder / "damaged-xref.pdf"
    path.write_bytes(data)
    return path


def truncated_pdf(folder: Path) -> Path:
    """The first half of a PDF: an interrupted download or upload."""
    data = plain_pdf(folder, pages=10, name="base-truncated.pdf").read_bytes()
    path = folder / "truncated.pdf"
    path.write_bytes(data[: len(data) // 2])
    return path


def javascript_pdf(folder: Path) -> Path:
    def change(pdf):
        pdf.Root.OpenAction = pikepdf.Dictionary(
            Type=pikepdf.Name.Action, S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)")
        )

    return _edit(folder, "javascript.pdf", change)


def javascript_in_names_tree_pdf(folder: Path) -> Path:
    def change(pdf):
        action = pdf.make_indirect(
            pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(2)"))
        )
        tree = pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("init"), action]))
        pdf.Root.Names = pikepdf.Dictionary(JavaScript=tree)

    return _edit(folder, "javascript-names.pdf", change)


def javascript_in_page_aa_pdf(folder: Path) -> Path:
    """JavaScript run when page 1 opens (additional actions), written with an escaped name."""

    def change(pdf):
        action = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(3)"))
        pdf.pages[0].obj.AA = pikepdf.Dictionary(O=action)

    path = _edit(folder, "javascript-aa.pdf", change)
    # "/J#61vaScript" is "/JavaScript" to a PDF reader, but not to a byte search.
    pdf = pikepdf.open(path)
    pdf.save(folder / "javascript-aa-plain.pdf", compress_streams=False,
             object_stream_mode=pikepdf.ObjectStreamMode.disable)  # fmt: skip
    data = (folder / "javascript-aa-plain.pdf").read_bytes()
    path.write_bytes(data.replace(b"/JavaScript", b"/J#61vaScript"))
    return path


def with_object_streams(path: Path) -> Path:
    """The same PDF with its objects packed into compressed object streams (PDF 1.5+)."""
    out = path.with_name(f"objstm-{path.name}")
    with pikepdf.open(path) as pdf:
        pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out


def launch_pdf(folder: Path) -> Path:
    """A link on the page that starts a program when clicked."""

    def change(pdf):
        launch = pikepdf.Dictionary(
            S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe"), NewWindow=True
        )
        link = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
            Rect=pikepdf.Array([72, 72, 300, 120]), A=launch,
        )  # fmt: skip
        pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(link)]))

    return _edit(folder, "launch.pdf", change)


def embedded_file_pdf(folder: Path) -> Path:
    def change(pdf):
        pdf.attachments["faktur.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ not really a program")

    return _edit(folder, "embedded-file.pdf", change)


def file_attachment_annotation_pdf(folder: Path) -> Path:
    def change(pdf):
        spec = pikepdf.AttachedFileSpec(pdf, b"lampiran", filename="lampiran.txt")
        note = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.FileAttachment,
            Rect=pikepdf.Array([72, 72, 90, 90]), FS=spec.obj,
        )  # fmt: skip
        pdf.pages[0].obj.Annots = pikepdf.Array([pdf.make_indirect(note)])

    return _edit(folder, "file-attachment.pdf", change)


def huge_page_pdf(folder: Path, *, width_inches: float) -> Path:
    def change(pdf):
        pdf.pages[0].obj.MediaBox = pikepdf.Array([0, 0, width_inches * 72, 842])

    return _edit(folder, f"page-{width_inches:g}in.pdf", change)


@functools.cache
def _deflate_spaces(megabytes: int) -> bytes:
    """Deflate ``megabytes`` MB of spaces (blank content) in chunks: about 1 KB on disk per MB."""
    compressor = zlib.compressobj(6)
    chunk = b" " * (1024 * 1024)
    parts = [compressor.compress(chunk) for _ in range(megabytes)]
    parts.append(compressor.flush())
    return b"".join(parts)


def inflate_bomb_pdf(folder: Path, *, megabytes: int = 300, layers: int = 1) -> Path:
    """A page whose content stream inflates to ``megabytes`` MB; a few hundred KB on disk.

    With ``layers=2`` the deflated data is deflated again (/Filter [/FlateDecode /FlateDecode]),
    which leaves about 1 KB on disk.
    """
    data = _deflate_spaces(megabytes)
    for _ in range(layers - 1):
        data = zlib.compress(data, 9)

    def change(pdf):
        stream = pikepdf.Stream(pdf, b"")
        filters = pikepdf.Array([pikepdf.Name.FlateDecode] * layers)
        stream.write(data, filter=filters if layers > 1 else pikepdf.Name.FlateDecode)
        pdf.pages[0].obj.Contents = stream

    return _edit(folder, f"inflate-bomb-{megabytes}mb-{layers}.pdf", change)


def png_named_pdf(folder: Path) -> Path:
    path = folder / "foto-ktp.pdf"
    Image.new("RGB", (40, 30), "gray").save(path, format="PNG")
    return path


def html_named_pdf(folder: Path) -> Path:
    """What a download link sometimes saves instead of the document: an error page."""
    path = folder / "npwp.pdf"
    path.write_text(
        "<!DOCTYPE html><html><head><title>404</title></head>"
        "<body>Halaman tidak ditemukan</body></html>\n",
        encoding="utf-8",
    )
    return path


def zip_named_pdf(folder: Path) -> Path:
    """A zipped PDF renamed to .pdf; stored uncompressed, so "%PDF-" is in its first kilobyte."""
    pdf = plain_pdf(folder, pages=1, name="base-zip.pdf")
    path = folder / "dokumen.pdf"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.write(pdf, "akta.pdf")
    return path


def empty_file(folder: Path) -> Path:
    path = folder / "kosong.pdf"
    path.write_bytes(b"")
    return path


def photo_jpeg(
    folder: Path, name: str, *, size: tuple[int, int] = (800, 600), orientation: int | None = None
) -> Path:
    """A camera-like JPEG; ``orientation`` is the EXIF tag a phone writes instead of rotating."""
    image = Image.new("RGB", size, (200, 180, 150))
    # A dark band on the left edge shows which way up the photo is.
    image.paste((20, 20, 20), (0, 0, size[0] // 10, size[1]))
    path = folder / name
    exif = Image.Exif()
    if orientation is not None:
        exif[0x0112] = orientation
    image.save(path, format="JPEG", quality=90, exif=exif)
    return path


def photo_heic(folder: Path, name: str = "foto.heic") -> Path:
    import pillow_heif

    pillow_heif.register_heif_opener()
    path = folder / name
    Image.new("RGB", (640, 480), (120, 160, 200)).save(path, format="HEIF")
    return path


def photo_png_with_alpha(folder: Path, name: str = "tangkapan-layar.png") -> Path:
    path = folder / name
    Image.new("RGBA", (300, 500), (0, 0, 0, 0)).save(path, format="PNG")
    return path


def photo_png_16_bit_grey(folder: Path, name: str = "pindaian-16bit.png") -> Path:
    """A 16-bit greyscale scan at 61% grey (40000 of 65535)."""
    path = folder / name
    Image.new("I;16", (300, 400), 40000).save(path, format="PNG")
    return path


def text_file(folder: Path, name: str = "foto.jpg") -> Path:
    path = folder / name
    path.write_text("ini bukan foto\n", encoding="utf-8")
    return path
