"""Phone photos (JPEG, PNG, HEIC) turned into one PDF document, one A4 page per photo."""

from __future__ import annotations

import functools
import io
import os

import img2pdf
from PIL import Image, ImageOps

from .messages import PdfRejected

StrPath = str | os.PathLike[str]

# Photos: the long side after downscaling, and the JPEG quality of the re-encoded image.
PHOTO_MAX_SIDE_PX = 2500
PHOTO_JPEG_QUALITY = 85
PHOTO_FORMATS = ("JPEG", "PNG", "HEIF")
A4_PT = (img2pdf.mm_to_pt(210), img2pdf.mm_to_pt(297))


@functools.cache
def _register_heif() -> None:
    import pillow_heif

    pillow_heif.register_heif_opener()


def images_to_pdf(
    image_paths: list[StrPath], out_path: StrPath, *, max_pixels: int = 40_000_000
) -> None:
    """Join phone photos (JPEG, PNG, HEIC/HEIF) into one PDF, one A4 page per photo, in order.

    Each photo is turned upright (EXIF orientation), flattened to RGB on white, reduced to
    ``PHOTO_MAX_SIDE_PX`` on the long side and re-encoded as JPEG, which also drops EXIF data
    such as the GPS position. A photo that is not a decodable image is refused ("not_image"),
    as is one that would decode to more than ``max_pixels`` pixels ("image_too_large"); JPEGs
    are decoded at a reduced scale where possible, so a 50 MP phone photo still converts.
    """
    if not image_paths:
        raise ValueError("images_to_pdf needs at least one photo")
    _register_heif()
    jpegs = [
        _photo_to_jpeg(os.fspath(p), max_pixels=max_pixels, number=n)
        for n, p in enumerate(image_paths, start=1)
    ]
    layout = img2pdf.get_layout_fun(A4_PT, fit=img2pdf.FitMode.into, auto_orient=True)
    with open(out_path, "wb") as out:
        img2pdf.convert(jpegs, layout_fun=layout, outputstream=out)


def _photo_to_jpeg(path: str, *, max_pixels: int, number: int) -> bytes:
    try:
        with Image.open(path, formats=PHOTO_FORMATS) as image:
            # For JPEG, let the decoder scale down by 1/2, 1/4 or 1/8 while decoding.
            long_side = max(image.size)
            if long_side > PHOTO_MAX_SIDE_PX:
                ratio = PHOTO_MAX_SIDE_PX / long_side
                image.draft("RGB", (int(image.width * ratio), int(image.height * ratio)))
            if image.width * image.height > max_pixels:
                raise PdfRejected(
                    "image_too_large", f"photo {number}: {image.width} x {image.height} pixels"
                )
            image.load()
            upright = ImageOps.exif_transpose(image)
            rgb = _flatten_to_rgb(upright)
    except Image.DecompressionBombError as e:
        raise PdfRejected("image_too_large", f"photo {number}: {e}") from None
    except PdfRejected:
        raise
    except Exception as e:
        # Pillow and its plugins raise OSError, ValueError, SyntaxError, EOFError and more
        # on files that are not (whole) images; for the vendor it is one problem.
        raise PdfRejected("not_image", f"photo {number}: {type(e).__name__}: {e}") from None
    rgb.thumbnail((PHOTO_MAX_SIDE_PX, PHOTO_MAX_SIDE_PX), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    rgb.save(buffer, format="JPEG", quality=PHOTO_JPEG_QUALITY)
    return buffer.getvalue()


def _flatten_to_rgb(image: Image.Image) -> Image.Image:
    if image.mode.startswith("I;16"):
        # 16-bit greyscale PNG (some scanner apps): convert("RGB") would clip it to white.
        image = image.convert("I").point(lambda v: v / 256).convert("L")
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    if not has_alpha:
        return image.convert("RGB")
    # Transparent areas (screenshots, scanner apps) become white paper, not black.
    rgba = image.convert("RGBA")
    white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Image.alpha_composite(white, rgba).convert("RGB")
