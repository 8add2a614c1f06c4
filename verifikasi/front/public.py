"""Public pages' content: the procedure, the checklist, the registration QR code."""

import io

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from verifikasi.core.letterhead import draw_letterhead
from verifikasi.core.qr import draw_qr, qr_svg
from verifikasi.meetings.models import Provider
from verifikasi.meetings.providers import meeting_settings_for

POSTER_MARGIN = 20 * mm
POSTER_QR_SIZE = 100 * mm
POSTER_GREEN = (0x0B / 255, 0x4F / 255, 0x40 / 255)


def registration_url(request=None) -> str:
    """Where registration starts: the signup page, absolute (printed on posters)."""
    return settings.SITE_URL + reverse("account_signup")


def landing_context(request, office) -> dict:
    url = registration_url(request)
    return {
        "office": office,
        "registration_url": url,
        "qr_svg": qr_svg(url),
        "document_types": office.document_types.filter(active=True),
        "uses_zoom": meeting_settings_for(office).provider == Provider.ZOOM,
    }


def _centred_lines(canvas, lines, *, y: float, font: str, size: float, leading: float,
                   centre: float) -> float:
    canvas.setFont(font, size)
    for line in lines:
        y -= leading
        canvas.drawCentredString(centre, y, line)
    return y


def poster_pdf(office) -> io.BytesIO:
    """An A4 poster for the office's notice board: letterhead, title, QR code, four steps, email.

    It replaces the procedure's "QRcode link upload dokumen" page: the code leads to
    this app's signup page instead of a short link to a Google Form.
    """
    url = registration_url()
    buffer = io.BytesIO()
    page_width, page_height = A4
    left, right = POSTER_MARGIN, page_width - POSTER_MARGIN
    width = right - left
    centre = page_width / 2

    canvas = Canvas(buffer, pagesize=A4)
    canvas.setTitle(_("Poster verifikasi daring — %(office)s") % {"office": office.name})
    canvas.setAuthor(office.name)
    canvas.setSubject(url)

    y = draw_letterhead(canvas, office, top_y=page_height - 15 * mm, margin=POSTER_MARGIN)

    # Title and subtitle.
    y -= 4 * mm
    canvas.setFillColorRGB(*POSTER_GREEN)
    title = _("VERIFIKASI DOKUMEN PELAKU USAHA SECARA DARING")
    y = _centred_lines(canvas, simpleSplit(title, "Helvetica-Bold", 22, width), y=y,
                       font="Helvetica-Bold", size=22, leading=26, centre=centre)
    canvas.setFillColorRGB(0.1, 0.1, 0.1)
    subtitle = _("Pendaftaran akun SPSE %(office)s") % {"office": office.name}
    y = _centred_lines(canvas, simpleSplit(subtitle, "Helvetica", 13, width), y=y - 4,
                       font="Helvetica", size=13, leading=17, centre=centre)

    # The QR code, with what to do with it and the address for those who type.
    y -= 5 * mm + POSTER_QR_SIZE
    draw_qr(canvas, url, x=centre - POSTER_QR_SIZE / 2, y=y, size=POSTER_QR_SIZE)
    canvas.setFillColorRGB(0.1, 0.1, 0.1)
    y = _centred_lines(canvas, [_("Pindai kode QR dengan kamera ponsel Anda, atau buka:")],
                       y=y - 2, font="Helvetica", size=11, leading=14, centre=centre)
    url_size = 15.0
    while url_size > 8 and stringWidth(url, "Helvetica-Bold", url_size) > width:
        url_size -= 0.5
    y = _centred_lines(canvas, [url], y=y - 2, font="Helvetica-Bold", size=url_size,
                       leading=url_size + 4, centre=centre)

    # The steps, in the order of the procedure (B.2, B.6–B.7, B.8, C.4–C.6).
    y -= 9 * mm
    canvas.setFillColorRGB(*POSTER_GREEN)
    canvas.setFont("Helvetica-Bold", 14)
    canvas.drawString(left, y, _("Cara mendaftar"))
    y -= 3 * mm
    steps = [
        _("Daftar akun SPSE di %(url)s.") % {"url": office.spse_url},
        _("Pindai kode QR ini, buat akun, lalu unggah dokumen persyaratan (Lampiran 1) "
          "dalam bentuk PDF atau foto."),
        _("Usulkan tanggal verifikasi. Tim verifikator mengonfirmasi jadwal lewat email."),
        _("Ikuti video call dan tunjukkan dokumen ASLI. Tanda Lulus Verifikasi dikirim ke "
          "email Anda."),
    ]
    number_width = 9 * mm
    for number, text in enumerate(steps, start=1):
        lines = simpleSplit(text, "Helvetica", 12, width - number_width)
        y -= 20
        canvas.setFillColorRGB(*POSTER_GREEN)
        canvas.circle(left + 3.2 * mm, y + 4, 3.2 * mm, stroke=0, fill=1)
        canvas.setFillColorRGB(1, 1, 1)
        canvas.setFont("Helvetica-Bold", 11)
        canvas.drawCentredString(left + 3.2 * mm, y, str(number))
        canvas.setFillColorRGB(0.1, 0.1, 0.1)
        canvas.setFont("Helvetica", 12)
        for index, line in enumerate(lines):
            if index:
                y -= 15
            canvas.drawString(left + number_width, y, line)
        y -= 4

    # Contact box at the bottom of the page.
    box_height = 24 * mm
    box_y = 15 * mm
    canvas.setStrokeColorRGB(*POSTER_GREEN)
    canvas.setLineWidth(1.2)
    canvas.roundRect(left, box_y, width, box_height, 3 * mm, stroke=1, fill=0)
    canvas.setFillColorRGB(0.1, 0.1, 0.1)
    text_y = box_y + box_height - 8 * mm
    canvas.setFont("Helvetica", 11)
    canvas.drawCentredString(
        centre, text_y, _("Pertanyaan tentang jadwal verifikasi? Hubungi tim verifikator:")
    )
    canvas.setFillColorRGB(*POSTER_GREEN)
    canvas.setFont("Helvetica-Bold", 15)
    canvas.drawCentredString(centre, text_y - 8 * mm, office.reply_to_email)

    canvas.showPage()
    canvas.save()
    buffer.seek(0)
    return buffer
