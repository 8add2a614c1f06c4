"""Check-time benchmark: the median time ``check_pdf`` takes over PDFs from several producers.

Every upload is checked, so this is the cost each vendor pays. The corpus is generated here
(no third-party files): text documents from reportlab (1, 3 and 10 pages), phone-scan-like
image PDFs from img2pdf and from Pillow, and qpdf rewrites of them (object streams, QDF with
indirect lengths, linearized). Each file is checked ``--rounds`` times; the output is the
median and the 90th percentile per file and over all checks; a refused file shows its
refusal code instead of its page count (and is timed all the same).

Run: ``.venv/bin/python bench/pdfcheck_median.py`` (about 30 s). Not part of the tests.
"""

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

import img2pdf
import pikepdf
from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from verifikasi.core.pdfcheck import PdfRejected, check_pdf  # noqa: E402 - needs the project on sys.path


def reportlab_pdf(path: Path, pages: int) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    for number in range(1, pages + 1):
        for line in range(40):
            c.drawString(72, 780 - 18 * line, f"Akta Pendirian CV Maju Jaya {number}.{line} " * 2)
        c.showPage()
    c.save()
    return path


def scan_jpeg(seed: int) -> bytes:
    """A grey A4 'scan' at 150 dpi with some text-like strokes, as a phone scanner app saves it."""
    image = Image.new("L", (1240, 1754), 235)
    draw = ImageDraw.Draw(image)
    for row in range(60):
        y = 80 + row * 27
        draw.line((100, y, 1100 - (row * seed) % 400, y), fill=40, width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def img2pdf_pdf(path: Path, pages: int) -> Path:
    path.write_bytes(img2pdf.convert([scan_jpeg(n) for n in range(1, pages + 1)]))
    return path


def pillow_pdf(path: Path, pages: int) -> Path:
    images = [Image.open(io.BytesIO(scan_jpeg(n))).convert("RGB") for n in range(1, pages + 1)]
    images[0].save(path, format="PDF", save_all=True, append_images=images[1:], resolution=150)
    return path


def rewrite(source: Path, name: str, **options) -> Path:
    path = source.with_name(name)
    with pikepdf.open(source) as pdf:
        pdf.save(path, **options)
    return path


def corpus(folder: Path) -> list[Path]:
    files = [
        reportlab_pdf(folder / "reportlab-1.pdf", 1),
        reportlab_pdf(folder / "reportlab-3.pdf", 3),
        reportlab_pdf(folder / "reportlab-10.pdf", 10),
        img2pdf_pdf(folder / "img2pdf-1.pdf", 1),
        img2pdf_pdf(folder / "img2pdf-10.pdf", 10),
        pillow_pdf(folder / "pillow-3.pdf", 3),
    ]
    files += [
        rewrite(files[2], "qpdf-objstm-10.pdf",
                object_stream_mode=pikepdf.ObjectStreamMode.generate),
        rewrite(files[1], "qpdf-qdf-3.pdf", qdf=True),
        rewrite(files[4], "qpdf-linearized-10.pdf", linearize=True),
    ]
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-pdfcheck-") as tmp:
        files = corpus(Path(tmp))
        check_pdf(files[0])  # warm the page cache and the interpreter's imports
        everything = []
        print(f"{'file':<26} {'KiB':>7} {'pages':>7} {'median':>8} {'p90':>8}")
        for path in files:
            times = []
            for _ in range(args.rounds):
                start = time.perf_counter()
                try:
                    verdict = str(check_pdf(path).page_count)
                except PdfRejected as e:  # timed all the same: refusing costs time too
                    verdict = e.code
                times.append(time.perf_counter() - start)
            everything += times
            p90 = statistics.quantiles(times, n=10)[-1] if len(times) > 1 else times[0]
            print(f"{path.name:<26} {path.stat().st_size / 1024:7.0f} {verdict:>7} "
                  f"{statistics.median(times):7.3f}s {p90:7.3f}s")
        p90 = statistics.quantiles(everything, n=10)[-1]
        print(f"{'all checks':<42} {statistics.median(everything):7.3f}s {p90:7.3f}s")


if __name__ == "__main__":
    main()
