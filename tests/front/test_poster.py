"""The printable A4 poster (/poster.pdf) and the letterhead helper it shares with certificates."""

import io
from types import SimpleNamespace

import pypdfium2 as pdfium
import pytest
from django.conf import settings
from django.urls import reverse
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from verifikasi.core.letterhead import draw_letterhead
from verifikasi.front.public import poster_pdf


@pytest.fixture
def poster(client, office):
    response = client.get(reverse("poster"))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def page_text(pdf_bytes: bytes) -> str:
    document = pdfium.PdfDocument(pdf_bytes)
    return document[0].get_textpage().get_text_range()


def test_it_serves_an_inline_pdf_to_anyone(client, office):
    response = client.get(reverse("poster"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_it_is_one_a4_portrait_page(poster):
    document = pdfium.PdfDocument(poster)
    assert len(document) == 1
    width, height = document[0].get_size()
    assert (round(width), round(height)) == (595, 842)


def test_it_prints_the_letterhead_the_registration_url_and_the_team_email(poster, office):
    text = page_text(poster)
    for line in office.letterhead_lines:
        assert line in text
    assert settings.SITE_URL + reverse("account_signup") in text
    assert office.reply_to_email in text
    assert "VERIFIKASI DOKUMEN PELAKU USAHA" in text
    assert office.spse_url in text


def test_its_qr_code_decodes_to_the_registration_url(poster):
    import zxingcpp  # test extra: zxing-cpp

    bitmap = pdfium.PdfDocument(poster)[0].render(scale=2).to_pil()
    decoded = [result.text for result in zxingcpp.read_barcodes(bitmap)]
    assert decoded == [settings.SITE_URL + reverse("account_signup")]


def test_it_follows_the_active_language(office):
    from django.utils import translation

    with translation.override("en"):
        text = page_text(poster_pdf(office).getvalue())
    assert "ONLINE" in text
    assert "VERIFIKASI DOKUMEN PELAKU USAHA" not in text
    for line in office.letterhead_lines:  # the letterhead is the office's own words
        assert line in text


def _letterhead_pdf(lines, **kwargs):
    office = SimpleNamespace(letterhead_lines=lines)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    top = A4[1] - 15 * mm
    below = draw_letterhead(canvas, office, top_y=top, **kwargs)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue(), top, below


def test_the_letterhead_returns_the_y_below_its_double_rule(office):
    pdf, top, below = _letterhead_pdf(office.letterhead_lines)
    page = pdfium.PdfDocument(pdf)[0]
    textpage = page.get_textpage()
    lowest_text = min(textpage.get_rect(i)[1] for i in range(textpage.count_rects()))
    highest_text = max(textpage.get_rect(i)[3] for i in range(textpage.count_rects()))
    assert highest_text <= top + 1
    # two rules and a little space separate the last line from what comes next
    assert below < lowest_text - 6
    assert below > top - 120
    assert textpage.get_text_range().split("\r\n") == office.letterhead_lines


def test_the_letterhead_shrinks_a_line_too_long_for_the_page():
    long_line = "Jalan Jenderal Sudirman No. 37 " * 8
    pdf, _, _ = _letterhead_pdf(["PEMERINTAH KABUPATEN CONTOH", long_line.strip()], margin=20 * mm)
    textpage = pdfium.PdfDocument(pdf)[0].get_textpage()
    for i in range(textpage.count_rects()):
        left, _, right, _ = textpage.get_rect(i)
        assert left >= 20 * mm - 1
        assert right <= A4[0] - 20 * mm + 1
