"""The office letterhead (kop surat) for reportlab PDFs: posters and certificates.

Drawn the way Indonesian government letters do it: every line centred, the
first line bold and largest, then a double rule (thick above thin) across the
text width. Only the standard PDF fonts are used, so nothing has to be
embedded and drawing stays fast.
"""

from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth

FONT = "Helvetica"
FONT_BOLD = "Helvetica-Bold"
FIRST_LINE_SIZE = 14.0
LINE_SIZE = 10.0
MAX_SHRINK = 0.75  # shrink a long line down to this share of its size, then wrap
LINE_GAP = 1.35  # baseline distance as a multiple of the font size
RULE_THICK = 2.0
RULE_THIN = 0.75
RULE_GAP = 2.0  # space between the two rules
SPACE_BELOW = 4 * mm


def _fit(text: str, font: str, size: float, width: float) -> tuple[float, list[str]]:
    """How to set text within width: as is, slightly smaller, or (if very long) wrapped."""
    natural = stringWidth(text, font, size)
    if natural <= width:
        return size, [text]
    shrunk = size * width / natural
    if shrunk >= size * MAX_SHRINK:
        return shrunk, [text]
    return size, simpleSplit(text, font, size, width)


def draw_letterhead(canvas, office, *, top_y: float, margin: float = 20 * mm,
                    color=(0, 0, 0)) -> float:
    """Draw office.letterhead_lines from top_y downwards; return the y just below the rule.

    ``top_y`` is the top edge of the letterhead (the first line's cap height
    starts there). The text and the rules span the page width minus
    ``margin`` on each side; a line too long for that width is set a little
    smaller, or wrapped if it is much too long, never run off the page.
    """
    page_width = canvas._pagesize[0]
    left, right = margin, page_width - margin
    width = right - left
    centre = (left + right) / 2

    canvas.saveState()
    canvas.setFillColorRGB(*color)
    canvas.setStrokeColorRGB(*color)
    y = top_y
    for index, line in enumerate(office.letterhead_lines):
        font, size = (FONT_BOLD, FIRST_LINE_SIZE) if index == 0 else (FONT, LINE_SIZE)
        size, pieces = _fit(line, font, size, width)
        canvas.setFont(font, size)
        for piece in pieces:
            y -= size  # down to this line's baseline
            canvas.drawCentredString(centre, y, piece)
            y -= size * (LINE_GAP - 1)

    y -= 3  # clear the descenders of the last line
    canvas.setLineWidth(RULE_THICK)
    canvas.line(left, y, right, y)
    y -= RULE_THICK / 2 + RULE_GAP + RULE_THIN / 2
    canvas.setLineWidth(RULE_THIN)
    canvas.line(left, y, right, y)
    canvas.restoreState()
    return y - RULE_THIN / 2 - SPACE_BELOW
