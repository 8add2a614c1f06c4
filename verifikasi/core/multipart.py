"""A multipart/form-data body read back from a file, part by part, in bounded memory.

Behind the documented nginx an upload's body is stored to disk by nginx and handed to the
application by name (docs/deploy.md § 9); the background worker then finds the form's
parts in it here. The body is read ``chunk_size`` bytes at a time and never held whole:
a part's data is handed out in pieces as the next boundary is searched for, so memory
stays at about one chunk whatever the body's size.

The grammar is RFC 2046 § 5.1.1 as browsers write it (RFC 7578): an optional preamble,
``--boundary``, optional spaces, CRLF, the part's headers up to an empty line, its data up
to CRLF ``--boundary``; ``--`` after a boundary closes the body. Header lines are read as
Django's own parser reads them (``parse_header_parameters``, UTF-8, an unreadable line
skipped) and file names are cleaned as it cleans them, so a part means here what it meant
to ``request.FILES``. Anything else (no boundary, headers that never end, a body that
stops inside a part) raises ``MalformedBody``.
"""

import html
from collections.abc import Iterator
from dataclasses import dataclass

from django.http.multipartparser import MultiPartParser
from django.utils.http import parse_header_parameters

#: Header lines of one part may not take more than this (browsers write about 150 bytes).
MAX_HEADER_BYTES = 16 * 1024
#: The preamble before the first boundary (browsers write none).
MAX_PREAMBLE_BYTES = 16 * 1024


class MalformedBody(Exception):  # noqa: N818 - the vendor's body, not our error
    """The body is not the multipart/form-data its Content-Type says."""


class Truncated(MalformedBody):
    """The bytes ran out before the closing boundary (a head only, or a cut body)."""


def valid_boundary(boundary: str) -> bool:
    """The boundary rule Django's parser applies (printable ASCII, at most 200 chars)."""
    return bool(boundary) and MultiPartParser.boundary_re.fullmatch(boundary) is not None


def clean_file_name(name: str) -> str | None:
    """A file name as Django's ``MultiPartParser.sanitize_file_name`` leaves it; None for a
    name that is no name (empty, ".", "..")."""
    name = html.unescape(name).rsplit("/")[-1].rsplit("\\")[-1]
    name = "".join(char for char in name if char.isprintable())
    return None if name in {"", ".", ".."} else name


@dataclass
class Part:
    """One part: its form field, file name (None for a plain field or an empty file input),
    Content-Type, where its data starts in the body and (once read past) its size."""

    field: str | None
    filename: str | None
    content_type: str
    offset: int
    size: int = 0
    complete: bool = False


def _headers(raw: bytes) -> tuple[str | None, str | None, str]:
    field, filename, content_type = None, None, ""
    for line in raw.split(b"\r\n"):
        try:
            name, value = line.decode().split(":", 1)
            value, params = parse_header_parameters(value.lstrip(" "))
        except (ValueError, LookupError):  # as Django: an unreadable header line is skipped
            continue
        name = name.lower().rstrip(" ")
        if name == "content-disposition":
            field = params.get("name", "").strip() or None
            if "filename" in params:
                filename = clean_file_name(params["filename"]) if params["filename"] else None
        elif name == "content-type":
            content_type = value.strip()
        elif name == "content-transfer-encoding" and value.strip().lower() not in (
                "binary", "8bit", "7bit"):
            raise MalformedBody("content-transfer-encoding " + value)  # browsers never do
    return field, filename, content_type


class BodyReader:
    """Walks a multipart body from a binary file object: ``parts()`` yields each Part
    after its headers; ``data()`` then gives its bytes in pieces (memoryviews valid until
    the next piece). Data not asked for is skipped when the next part is asked for."""

    def __init__(self, f, boundary: bytes, *, chunk_size: int = 256 * 1024):
        self._f = f
        self._chunk = chunk_size
        self._delimiter = b"\r\n--" + boundary
        # A CRLF in front, so the first boundary looks like every other one.
        self._buf = b"\r\n"
        self._pos = 0
        self._base = -2  # the body offset of self._buf[0]
        self._part: Part | None = None
        self.bytes_read = 0

    def _fill(self) -> bool:
        data = self._f.read(self._chunk)
        if not data:
            return False
        self.bytes_read += len(data)
        self._base += self._pos
        self._buf = self._buf[self._pos:] + data
        self._pos = 0
        return True

    def _need(self, n: int) -> None:
        while len(self._buf) - self._pos < n:
            if not self._fill():
                raise Truncated("the body ends after a boundary")

    def _until(self, marker: bytes, limit: int, what: str) -> bytes:
        """The bytes up to ``marker`` (consumed), at most ``limit`` of them."""
        searched = 0  # from self._pos: where the marker cannot start
        while (i := self._buf.find(marker, self._pos + searched)) < 0:
            if len(self._buf) - self._pos > limit:
                raise MalformedBody(what + " too long")
            searched = max(0, len(self._buf) - self._pos - len(marker) + 1)
            if not self._fill():
                raise Truncated(what + " never ends")
        if i - self._pos > limit:
            raise MalformedBody(what + " too long")
        found = self._buf[self._pos:i]
        self._pos = i + len(marker)
        return found

    def data(self) -> Iterator[memoryview]:
        """The current part's data, piece by piece, up to the next boundary."""
        part = self._part
        if part is None or part.complete:
            return
        keep = len(self._delimiter) - 1
        while True:
            i = self._buf.find(self._delimiter, self._pos)
            if i >= 0:
                if i > self._pos:
                    part.size += i - self._pos
                    yield memoryview(self._buf)[self._pos:i]
                self._pos = i + len(self._delimiter)
                part.complete = True
                return
            safe = len(self._buf) - keep
            if safe > self._pos:
                part.size += safe - self._pos
                piece = memoryview(self._buf)[self._pos:safe]
                self._pos = safe
                yield piece
            if not self._fill():
                raise Truncated("the body ends inside a part")

    def parts(self) -> Iterator[Part]:
        self._until(self._delimiter, MAX_PREAMBLE_BYTES, "preamble")
        while True:
            self._need(2)
            if self._buf[self._pos:self._pos + 2] == b"--":
                return  # the closing boundary; an epilogue after it is ignored
            padding = self._until(b"\r\n", 256, "boundary line")
            if padding.strip(b" \t"):
                raise MalformedBody("text after a boundary")
            self._need(2)
            if self._buf[self._pos:self._pos + 2] == b"\r\n":  # a part without headers
                self._pos += 2
                raw = b""
            else:
                raw = self._until(b"\r\n\r\n", MAX_HEADER_BYTES, "part headers")
            field, filename, content_type = _headers(raw)
            self._part = Part(field, filename, content_type, self._base + self._pos)
            yield self._part
            for _ in self.data():  # what the caller did not read
                pass
