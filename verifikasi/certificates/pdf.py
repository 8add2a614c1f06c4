"""The certificate PDF: one A4 page, drawn with reportlab in the standard fonts.

The certificate is an official letter of the office, so it is always in
Bahasa Indonesia, whatever language the person issuing it uses. It carries
no NIK: the person verified is named, never identified by their KTP number.
"""

import io
from datetime import date
from html import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, Table, TableStyle

from verifikasi.core.letterhead import draw_letterhead
from verifikasi.core.qr import draw_qr

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")

TITLE = "TANDA LULUS VERIFIKASI"
STATEMENT = (
    "Yang bertanda tangan di bawah ini menerangkan bahwa Pelaku Usaha berikut telah "
    "<b>lulus verifikasi dokumen secara daring</b> untuk pendaftaran akun Sistem Pengadaan "
    "Secara Elektronik (SPSE) pada {office}, sesuai dengan Tata Cara Pelaksanaan Upload "
    "Dokumen Persyaratan Pendaftaran Akun SPSE dan Verifikasi Dokumen secara Daring:"
)
CLOSING = ("Demikian tanda lulus verifikasi ini dibuat untuk dipergunakan sebagaimana "
           "mestinya.")
E_SIGNED = "Ditandatangani secara elektronik"
QR_CAPTION = "Pindai untuk memeriksa keaslian:"
FOOTNOTE = (
    "Dokumen ini ditandatangani secara elektronik oleh {office}. Perubahan sekecil apa pun "
    "pada berkas ini membatalkan tanda tangan elektroniknya. Keaslian dan status tanda lulus "
    "ini dapat diperiksa pada alamat di bawah kode QR."
)

MARGIN = 20 * mm
QR_SIZE = 32 * mm
INK = colors.Color(0.1, 0.1, 0.1)
MUTED = colors.Color(0.35, 0.35, 0.35)
GREEN = colors.Color(0x0B / 255, 0x4F / 255, 0x40 / 255)

BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=10.5, leading=14.5,
                      textColor=INK, alignment=TA_JUSTIFY)
LABEL = ParagraphStyle("label", parent=BODY, alignment=0)
VALUE = ParagraphStyle("value", parent=LABEL, fontName="Helvetica-Bold")
LIST_ITEM = ParagraphStyle("item", parent=LABEL, leftIndent=12, firstLineIndent=-12)


def tanggal(value: date) -> str:
    """A date the Indonesian way: 26 November 2026."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def issue_date(certificate) -> date:
    """The date of issue as the office's clock showed it."""
    return timezone.localtime(certificate.issued_at, certificate.office.tzinfo).date()


def _facts_table(certificate, width: float) -> Table:
    person = escape(certificate.person_verified)
    if certificate.person_role:
        person += f" ({escape(certificate.person_role)})"
    documents = [Paragraph(f"{i}.&nbsp;{escape(name)}", LIST_ITEM)
                 for i, name in enumerate(certificate.documents, start=1)] or [
        Paragraph("-", LABEL)]
    rows = [
        ("Nama perusahaan", Paragraph(escape(certificate.company_name), VALUE)),
        ("NPWP", Paragraph(escape(certificate.npwp_display), VALUE)),
        ("NIB", Paragraph(escape(certificate.nib), VALUE)),
        ("Diverifikasi atas nama", Paragraph(person, VALUE)),
        ("Tanggal verifikasi (video call)", Paragraph(tanggal(certificate.call_date), VALUE)),
        ("Verifikator", Paragraph(escape(certificate.verifier_name), VALUE)),
        ("Dokumen asli yang diverifikasi", documents),
    ]
    label_width = 58 * mm
    table = Table(
        [[Paragraph(label, LABEL), ":", value] for label, value in rows],
        colWidths=[label_width, 4 * mm, width - label_width - 4 * mm],
    )
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (1, 0), (1, -1), "Helvetica"),
        ("FONTSIZE", (1, 0), (1, -1), 10.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LINEBELOW", (0, 0), (-1, -2), 0.25, colors.Color(0.8, 0.8, 0.8)),
    ]))
    return table


def _flow(canvas, flowable, *, x: float, y: float, width: float) -> float:
    """Draw a flowable with its top at y; return the y below it."""
    _w, height = flowable.wrapOn(canvas, width, y)
    flowable.drawOn(canvas, x, y - height)
    return y - height


def _fit_size(text: str, font: str, size: float, width: float, minimum: float) -> float:
    while size > minimum and stringWidth(text, font, size) > width:
        size -= 0.25
    return size


def render_certificate_pdf(certificate, *, place: str, signer_name: str, signer_title: str,
                           check_url: str) -> bytes:
    """The unsigned certificate for ``certificate`` (saved or not; its office and facts set)."""
    office = certificate.office
    buffer = io.BytesIO()
    page_width, page_height = A4
    left, right = MARGIN, page_width - MARGIN
    width = right - left
    centre = page_width / 2

    canvas = Canvas(buffer, pagesize=A4)
    canvas.setTitle(f"{TITLE.title()} {certificate.number}")
    canvas.setAuthor(office.name)
    canvas.setSubject(check_url)  # also lets the check tell which certificate a copy claims
    canvas.setCreator("Verifikasi Daring")
    canvas.setKeywords(["tanda lulus verifikasi", "SPSE", certificate.number])

    y = draw_letterhead(canvas, office, top_y=page_height - 15 * mm, margin=MARGIN)

    # Title and number.
    y -= 8 * mm
    canvas.setFillColor(GREEN)
    canvas.setFont("Helvetica-Bold", 17)
    canvas.drawCentredString(centre, y, TITLE)
    y -= 6.5 * mm
    canvas.setFillColor(INK)
    number_line = f"Nomor: {certificate.number}"
    canvas.setFont("Helvetica", _fit_size(number_line, "Helvetica", 11.5, width, 7))
    canvas.drawCentredString(centre, y, number_line)

    # Statement, the facts, the closing sentence.
    y -= 9 * mm
    y = _flow(canvas, Paragraph(STATEMENT.format(office=escape(office.name)), BODY),
              x=left, y=y, width=width)
    y -= 3 * mm
    y = _flow(canvas, _facts_table(certificate, width - 6 * mm), x=left + 6 * mm, y=y,
              width=width - 6 * mm)
    y -= 4 * mm
    y = _flow(canvas, Paragraph(CLOSING, BODY), x=left, y=y, width=width)

    # Signer block on the right; the check QR code on the left, level with it.
    y -= 10 * mm
    block_left = centre + 10 * mm
    block_width = right - block_left
    issued = tanggal(issue_date(certificate))
    lines = [(f"{place}, {issued}" if place else issued, "Helvetica", 10.5, INK)]
    for line in simpleSplit(signer_title or office.name, "Helvetica", 10.5, block_width):
        lines.append((line, "Helvetica", 10.5, INK))
    sign_y = y
    for text, font, size, color in lines:
        canvas.setFont(font, size)
        canvas.setFillColor(color)
        canvas.drawString(block_left, sign_y - size, text)
        sign_y -= size * 1.4
    sign_y -= 9 * mm
    canvas.setFont("Helvetica-Oblique", 9)
    canvas.setFillColor(MUTED)
    canvas.drawString(block_left, sign_y, f"[ {E_SIGNED} ]")
    sign_y -= 9 * mm
    if signer_name:
        canvas.setFillColor(INK)
        name_size = _fit_size(signer_name, "Helvetica-Bold", 10.5, block_width, 7)
        canvas.setFont("Helvetica-Bold", name_size)
        canvas.drawString(block_left, sign_y, signer_name)
        canvas.setLineWidth(0.6)
        canvas.setStrokeColor(INK)
        canvas.line(block_left, sign_y - 2,
                    block_left + stringWidth(signer_name, "Helvetica-Bold", name_size),
                    sign_y - 2)

    canvas.setFillColor(INK)
    canvas.setFont("Helvetica", 8.5)
    canvas.drawString(left, y - 8.5, QR_CAPTION)
    qr_y = y - 11 - QR_SIZE
    draw_qr(canvas, check_url, x=left - 2 * mm, y=qr_y, size=QR_SIZE)
    url_size = _fit_size(check_url, "Helvetica", 7.5, centre - left, 5)
    canvas.setFont("Helvetica", url_size)
    canvas.drawString(left, qr_y - url_size, check_url)

    # Footnote at the foot of the page.
    note = FOOTNOTE.format(office=office.name)
    note_y = 14 * mm + 9 * len(simpleSplit(note, "Helvetica", 7.5, width))
    canvas.setStrokeColor(colors.Color(0.75, 0.75, 0.75))
    canvas.setLineWidth(0.5)
    canvas.line(left, note_y + 4, right, note_y + 4)
    canvas.setFillColor(MUTED)
    canvas.setFont("Helvetica", 7.5)
    for line in simpleSplit(note, "Helvetica", 7.5, width):
        note_y -= 9
        canvas.drawString(left, note_y, line)

    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
