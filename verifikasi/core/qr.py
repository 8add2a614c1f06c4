"""QR codes: inline SVG for pages, vector rectangles for PDFs (posters, certificates)."""

from functools import lru_cache

import segno

QR_DARK = "#0b3d2e"


@lru_cache(maxsize=64)  # the same address gives the same code; building it costs ~4 ms
def qr_svg(data: str) -> str:
    """The QR code as inline SVG: a viewBox and one stroked path, no style attributes (CSP)."""
    return segno.make(data, error="m").svg_inline(scale=5, dark=QR_DARK, omitsize=True)


def draw_qr(canvas, data: str, *, x: float, y: float, size: float) -> None:
    """Draw a QR code as vector rectangles, quiet zone included, in the size×size box at (x, y).

    Each row's dark runs become one rectangle, all in a single filled path, so
    the code stays crisp at any print size and the PDF stays small.
    """
    qr = segno.make(data, error="m")
    border = 4  # the quiet zone the QR standard asks for, in modules
    count = len(qr.matrix) + 2 * border
    module = size / count
    path = canvas.beginPath()
    for row_index, row in enumerate(qr.matrix):
        row_y = y + size - (row_index + border + 1) * module
        col = 0
        while col < len(row):
            if row[col]:
                start = col
                while col < len(row) and row[col]:
                    col += 1
                path.rect(x + (start + border) * module, row_y, (col - start) * module, module)
            else:
                col += 1
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawPath(path, fill=1, stroke=0)
    canvas.restoreState()
