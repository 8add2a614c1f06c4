"""Upload checks: which files are accepted as documents, and what the vendor is told otherwise.

The module under test needs no Django; without the shared Django fixtures, run alone with
``python -m pytest -p no:django --noconftest tests/core/test_pdfcheck.py``.
"""

import sys

import pikepdf
import pytest
from PIL import Image

from tests.core import pdf_corpus as corpus
from verifikasi.core.pdfcheck import (
    MESSAGES,
    WARNING_REPAIRED_XREF,
    WARNING_RESTRICTIONS,
    PdfRejected,
    check_pdf,
    images_to_pdf,
    render_page_png,
    render_thumbnail,
)


def refusal(path, **limits) -> PdfRejected:
    with pytest.raises(PdfRejected) as caught:
        check_pdf(path, **limits)
    return caught.value


def assert_refused(path, code, **limits):
    rejected = refusal(path, **limits)
    assert (rejected.code, rejected.message) == (code, MESSAGES[code]), rejected.detail


@pytest.fixture(scope="session")
def bombs(tmp_path_factory):
    """Built once: deflating 300 MB takes about a second."""
    folder = tmp_path_factory.mktemp("bombs")
    return {
        "single": corpus.inflate_bomb_pdf(folder, megabytes=300, layers=1),
        "double": corpus.inflate_bomb_pdf(folder, megabytes=300, layers=2),
    }


# Accepted PDFs


def test_it_accepts_a_plain_pdf(tmp_path):
    result = check_pdf(corpus.plain_pdf(tmp_path, pages=3))

    assert result.page_count == 3
    assert result.repaired is False
    assert result.warnings == []
    assert result.owner_password_only is False


def test_it_accepts_a_pdf_with_only_an_owner_password(tmp_path):
    result = check_pdf(corpus.owner_password_pdf(tmp_path))

    assert result.page_count == 2
    assert result.owner_password_only is True
    assert result.repaired is False
    assert result.warnings == [WARNING_RESTRICTIONS]


def test_it_accepts_a_pdf_with_a_damaged_xref_table_and_marks_it_repaired(tmp_path):
    result = check_pdf(corpus.damaged_xref_pdf(tmp_path))

    assert result.page_count == 2
    assert result.repaired is True
    assert result.warnings == [WARNING_REPAIRED_XREF]


def test_it_accepts_an_a0_poster_page(tmp_path):
    assert check_pdf(corpus.huge_page_pdf(tmp_path, width_inches=46.8)).page_count == 1


def test_it_accepts_a_relative_path_from_another_working_directory(tmp_path, monkeypatch):
    corpus.plain_pdf(tmp_path, pages=1)
    monkeypatch.chdir(tmp_path)

    assert check_pdf("plain.pdf").page_count == 1


def test_it_accepts_a_file_exactly_at_the_limits(tmp_path):
    path = corpus.plain_pdf(tmp_path, pages=2)

    result = check_pdf(path, max_bytes=path.stat().st_size, max_pages=2)

    assert result.page_count == 2


# Refused: not a PDF at all


def test_it_refuses_an_empty_file(tmp_path):
    assert_refused(corpus.empty_file(tmp_path), "empty")


def test_it_refuses_a_png_renamed_to_pdf(tmp_path):
    assert_refused(corpus.png_named_pdf(tmp_path), "not_pdf")


def test_it_refuses_an_html_page_renamed_to_pdf(tmp_path):
    assert_refused(corpus.html_named_pdf(tmp_path), "not_pdf")


def test_it_refuses_a_zip_file(tmp_path):
    assert_refused(corpus.zip_named_pdf(tmp_path), "not_pdf")


# Refused: a PDF we cannot open or trust


def test_it_refuses_a_pdf_that_needs_a_password_to_open(tmp_path):
    rejected = refusal(corpus.user_password_pdf(tmp_path))

    assert rejected.code == "encrypted"
    assert rejected.message == MESSAGES["encrypted"]
    assert "kata sandi" in rejected.message


def test_it_refuses_a_pdf_cut_in_half(tmp_path):
    assert_refused(corpus.truncated_pdf(tmp_path), "corrupt")


def test_it_refuses_a_pdf_with_javascript_run_on_open(tmp_path):
    assert_refused(corpus.javascript_pdf(tmp_path), "javascript")


def test_it_refuses_a_pdf_with_javascript_in_the_names_tree(tmp_path):
    assert_refused(corpus.javascript_in_names_tree_pdf(tmp_path), "javascript")


def test_it_refuses_javascript_in_page_actions_even_behind_an_escaped_name(tmp_path):
    assert_refused(corpus.javascript_in_page_aa_pdf(tmp_path), "javascript")


def test_it_refuses_javascript_inside_a_compressed_object_stream(tmp_path):
    assert_refused(corpus.with_object_streams(corpus.javascript_pdf(tmp_path)), "javascript")


def test_it_refuses_a_pdf_with_a_launch_action(tmp_path):
    assert_refused(corpus.launch_pdf(tmp_path), "launch")


def test_it_refuses_a_pdf_with_an_embedded_file(tmp_path):
    assert_refused(corpus.embedded_file_pdf(tmp_path), "embedded_files")


def test_it_refuses_a_pdf_with_a_file_attachment_annotation(tmp_path):
    assert_refused(corpus.file_attachment_annotation_pdf(tmp_path), "embedded_files")


@pytest.mark.parametrize("width_inches", [200, 1000, 1_000_000])
def test_it_refuses_a_page_200_inches_wide_or_wider(tmp_path, width_inches):
    assert_refused(corpus.huge_page_pdf(tmp_path, width_inches=width_inches), "page_too_large")


def test_it_refuses_a_content_stream_that_inflates_to_300_mb(bombs):
    assert bombs["single"].stat().st_size < 1024 * 1024

    assert_refused(bombs["single"], "inflate_bomb")


def test_it_refuses_a_content_stream_deflated_twice_to_hide_300_mb(bombs):
    assert bombs["double"].stat().st_size < 64 * 1024

    assert_refused(bombs["double"], "inflate_bomb")


def test_it_refuses_a_file_over_the_size_limit(tmp_path):
    path = corpus.plain_pdf(tmp_path, pages=1)

    assert_refused(path, "too_big", max_bytes=path.stat().st_size - 1)


def test_it_refuses_a_pdf_over_the_page_limit(tmp_path):
    assert_refused(corpus.plain_pdf(tmp_path, pages=3), "too_many_pages", max_pages=2)


def test_it_refuses_a_pdf_it_cannot_finish_checking_in_time(tmp_path):
    # The child process cannot even start in 10 ms: this exercises the kill-on-timeout path.
    assert_refused(corpus.plain_pdf(tmp_path, pages=1), "timeout", timeout_seconds=0.01)


@pytest.mark.parametrize(
    ("signal_name", "code"),
    [("SEGV", "render_failed"), ("KILL", "render_failed"), ("XCPU", "timeout")],
)
def test_it_refuses_a_pdf_whose_checker_process_dies(tmp_path, monkeypatch, signal_name, code):
    # Stands in for PDFium crashing, running out of memory, or hitting the CPU limit.
    dying = tmp_path / "dying-python"
    dying.write_text(f"#!/bin/sh\nkill -{signal_name} $$\n")
    dying.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(dying))

    assert_refused(corpus.plain_pdf(tmp_path, pages=1), code)


def test_it_raises_instead_of_blaming_the_file_when_the_checker_cannot_run(tmp_path, monkeypatch):
    broken = tmp_path / "broken-python"
    broken.write_text("#!/bin/sh\necho 'ModuleNotFoundError: pikepdf' >&2\nexit 1\n")
    broken.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(broken))

    with pytest.raises(RuntimeError, match="pikepdf"):
        check_pdf(corpus.plain_pdf(tmp_path, pages=1))


def test_every_refusal_code_has_its_own_message():
    assert len(set(MESSAGES.values())) == len(MESSAGES)


# Photos


def _page_shapes(pdf_path):
    """For each page: (page is landscape, its image is landscape, image width, image height)."""
    shapes = []
    with pikepdf.open(pdf_path) as pdf:
        for page in pdf.pages:
            x0, y0, x1, y1 = (float(v) for v in page.mediabox)
            (image,) = page.get_images().values()
            width, height = int(image.Width), int(image.Height)
            shapes.append((x1 - x0 > y1 - y0, width > height, width, height))
    return shapes


def test_it_turns_two_phone_photos_into_a_two_page_pdf_in_order(tmp_path):
    landscape = corpus.photo_jpeg(tmp_path, "1.jpg", size=(800, 600))
    # Stored landscape, but the phone was held upright: EXIF orientation 6 (rotate 90° CW).
    upright = corpus.photo_jpeg(tmp_path, "2.jpg", size=(800, 600), orientation=6)
    out = tmp_path / "foto.pdf"

    images_to_pdf([landscape, upright], out)

    assert check_pdf(out).page_count == 2
    assert _page_shapes(out) == [(True, True, 800, 600), (False, False, 600, 800)]


def test_it_downscales_a_large_photo_to_2500_pixels_on_the_long_side(tmp_path):
    photo = corpus.photo_jpeg(tmp_path, "besar.jpg", size=(4000, 3000))
    out = tmp_path / "foto.pdf"

    images_to_pdf([photo], out)

    assert _page_shapes(out) == [(True, True, 2500, 1875)]
    assert check_pdf(out).page_count == 1


def test_it_fits_photo_pages_into_a4(tmp_path):
    out = tmp_path / "foto.pdf"

    images_to_pdf([corpus.photo_jpeg(tmp_path, "1.jpg", size=(600, 800))], out)

    with pikepdf.open(out) as pdf:
        x0, y0, x1, y1 = (float(v) for v in pdf.pages[0].mediabox)
    assert (round(x1 - x0), round(y1 - y0)) == (595, 842)


def test_it_converts_a_heic_photo(tmp_path):
    out = tmp_path / "foto.pdf"

    images_to_pdf([corpus.photo_heic(tmp_path)], out)

    assert check_pdf(out).page_count == 1


def test_it_puts_a_transparent_screenshot_on_white_paper(tmp_path):
    out = tmp_path / "foto.pdf"
    images_to_pdf([corpus.photo_png_with_alpha(tmp_path)], out)
    png = tmp_path / "halaman.png"

    render_page_png(out, png, page_index=0, width_px=200)

    with Image.open(png) as page:
        assert page.convert("RGB").getpixel((100, 150)) == (255, 255, 255)


def test_it_keeps_the_grey_of_a_16_bit_greyscale_scan(tmp_path):
    out = tmp_path / "foto.pdf"
    images_to_pdf([corpus.photo_png_16_bit_grey(tmp_path)], out)
    png = tmp_path / "halaman.png"

    render_page_png(out, png, page_index=0, width_px=200)

    with Image.open(png) as page:
        red, green, blue = page.convert("RGB").getpixel((100, 150))
    assert 140 <= red <= 170 and red == green == blue


def test_it_refuses_a_text_file_given_as_a_photo(tmp_path):
    photo = corpus.photo_jpeg(tmp_path, "1.jpg")
    out = tmp_path / "foto.pdf"

    with pytest.raises(PdfRejected) as caught:
        images_to_pdf([photo, corpus.text_file(tmp_path)], out)

    assert (caught.value.code, caught.value.message) == ("not_image", MESSAGES["not_image"])
    assert "photo 2" in caught.value.detail
    assert not out.exists()


def test_it_refuses_a_pdf_given_as_a_photo(tmp_path):
    with pytest.raises(PdfRejected) as caught:
        images_to_pdf([corpus.plain_pdf(tmp_path)], tmp_path / "foto.pdf")

    assert caught.value.code == "not_image"


def test_it_refuses_a_photo_with_more_pixels_than_allowed(tmp_path):
    photo = corpus.photo_jpeg(tmp_path, "1.jpg", size=(800, 600))

    with pytest.raises(PdfRejected) as caught:
        images_to_pdf([photo], tmp_path / "foto.pdf", max_pixels=100_000)

    assert (caught.value.code, caught.value.message) == (
        "image_too_large", MESSAGES["image_too_large"],
    )  # fmt: skip


def test_it_refuses_a_png_decompression_bomb(tmp_path):
    # 7000 x 7000 one-bit pixels: a few KB on disk, 49 megapixels (147 MB as RGB) once decoded.
    bomb = tmp_path / "bom.png"
    Image.new("1", (7000, 7000)).save(bomb, format="PNG")
    assert bomb.stat().st_size < 100_000

    with pytest.raises(PdfRejected) as caught:
        images_to_pdf([bomb], tmp_path / "foto.pdf")

    assert caught.value.code == "image_too_large"


# Rendering


def test_it_renders_a_thumbnail_300_pixels_wide(tmp_path):
    thumbnail = tmp_path / "thumb.png"

    render_thumbnail(corpus.plain_pdf(tmp_path), thumbnail)

    with Image.open(thumbnail) as image:
        assert image.format == "PNG"
        assert image.width == 300
        assert image.height == round(300 * 842 / 595)


def test_it_renders_a_rotated_page_to_the_requested_width(tmp_path):
    with pikepdf.open(corpus.plain_pdf(tmp_path, pages=2)) as pdf:
        pdf.pages[1].obj.Rotate = 90
        pdf.save(tmp_path / "rotated.pdf")
    out = tmp_path / "page.png"

    render_page_png(tmp_path / "rotated.pdf", out, page_index=1, width_px=1200)

    with Image.open(out) as image:
        assert image.width == 1200
        assert image.height < image.width


def test_it_refuses_to_render_a_page_that_does_not_exist(tmp_path):
    with pytest.raises(ValueError):
        render_page_png(corpus.plain_pdf(tmp_path, pages=1), tmp_path / "x.png", page_index=1)
