"""Bounding what a PDF's streams inflate to, without ever inflating past the bound.

Every non-image stream (page contents, form XObjects, patterns, fonts, ...) is inflated with
``zlib.decompressobj().decompress(data, max_length)``, which stops at a cap without ever
holding more than the cap, rather than pikepdf's ``read_bytes()``, which would decode a 300 MB
"zip bomb" in full. Over ``MAX_DECODED_BYTES_PER_STREAM``, or
``MAX_DECODED_BYTES_PER_DOCUMENT`` in total, is refused. Flate, ASCII85 and ASCIIHex (every
filter modern writers use for such streams) are decoded this way; a rare LZW/RunLength stream
is decoded by qpdf, bounded by the child's memory limit. Images are not decoded (PDFium
decodes them only up to their declared size); instead an image declaring more than
``MAX_IMAGE_PIXELS_IN_PDF`` pixels is refused.
"""

from __future__ import annotations

import base64
import binascii
import zlib
from typing import Any

import pikepdf

from .messages import PdfRejected

MAX_DECODED_BYTES_PER_STREAM = 50 * 1024 * 1024
MAX_DECODED_BYTES_PER_DOCUMENT = 200 * 1024 * 1024
# 10000 x 10000: a 600 dpi A3 scan fits; PDFium decodes each image in full when drawing it.
MAX_IMAGE_PIXELS_IN_PDF = 100_000_000

_FLATE = {"/FlateDecode", "/Fl"}
_ASCII85 = {"/ASCII85Decode", "/A85"}
_ASCIIHEX = {"/ASCIIHexDecode", "/AHx"}
_IMAGE_CODECS = {"/DCTDecode", "/DCT", "/JPXDecode", "/JBIG2Decode", "/CCITTFaxDecode", "/CCF"}
_PDF_WHITESPACE = b" \t\n\r\x0b\x0c\x00"
# Small input chunks, so a damaged Flate stream loses little of its count when zlib gives up.
_INFLATE_CHUNK = 4096


def stream_cost(stream: pikepdf.Stream, entries: pikepdf.Dictionary, budget: int) -> int:
    """Decoded length of a non-image stream (at most the cap + 1); raises past the cap."""
    if entries.get("/Subtype") == "/Image":
        width, height = entries.get("/Width", 0), entries.get("/Height", 0)
        pixels = width * height if isinstance(width, int) and isinstance(height, int) else 0
        if pixels > MAX_IMAGE_PIXELS_IN_PDF:
            raise PdfRejected("inflate_bomb", f"image of {width} x {height} pixels")
        return 0
    names = _filter_names(entries.get("/Filter"))
    if any(name in _IMAGE_CODECS for name in names):
        return 0
    cap = min(MAX_DECODED_BYTES_PER_STREAM, budget)
    length = _bounded_decoded_length(stream, names, cap)
    if length > cap:
        raise PdfRejected("inflate_bomb", f"a stream inflates past {cap} bytes")
    return length


def _filter_names(filters: Any) -> list[str]:
    if isinstance(filters, pikepdf.Array):
        return [str(f) for f in filters]
    return [] if filters is None else [str(filters)]


def _bounded_decoded_length(stream: pikepdf.Stream, filters: list[str], cap: int) -> int:
    data = stream.read_raw_bytes()  # as stored (decrypted), so at most the file's size
    for name in filters:
        try:
            if name in _FLATE:
                data = _inflate(data, cap)
            elif name in _ASCII85:
                data = base64.a85decode(
                    data.split(b"~>")[0], adobe=False, ignorechars=_PDF_WHITESPACE
                )
            elif name in _ASCIIHEX:
                hex_digits = b"".join(data.split(b">")[0].split())
                data = binascii.unhexlify(hex_digits + b"0" * (len(hex_digits) % 2))
            else:
                return _decoded_length_by_qpdf(stream)
        except ValueError:
            return _decoded_length_by_qpdf(stream)
        if len(data) > cap:
            break
    return len(data)


def _decoded_length_by_qpdf(stream: pikepdf.Stream) -> int:
    # LZW, RunLength, or data our decoders above refuse: rare in files made this century.
    # qpdf decodes it in full; the child's memory limit is what bounds it.
    try:
        return len(stream.read_bytes())
    except pikepdf.PdfError:
        return 0  # undecodable: PDFium will have its say when rendering
    except MemoryError:
        raise PdfRejected("inflate_bomb", "a stream exhausts memory when decoded") from None


def _inflate(data: bytes, cap: int) -> bytes:
    """Inflate at most cap + 1 bytes; what decodes before damage counts, as in PDF readers."""
    inflater = zlib.decompressobj()
    out = bytearray()
    view = memoryview(data)
    for start in range(0, len(view), _INFLATE_CHUNK):
        chunk = view[start : start + _INFLATE_CHUNK]
        while chunk:
            try:
                out += inflater.decompress(chunk, cap + 1 - len(out))
            except zlib.error:
                return bytes(out)
            if len(out) > cap:
                return bytes(out)
            chunk = inflater.unconsumed_tail
        if inflater.eof:
            break
    return bytes(out)
