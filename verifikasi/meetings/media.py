"""What a recording file really is, from its bytes (never from its name).

MP4/QuickTime files are walked box by box (seeking, never reading the media)
and must carry a ``moov`` box, without which no player can open them; the
movie header gives the duration. WebM, MP3, Ogg and WAV are recognised by
their signatures.
"""

from dataclasses import dataclass

ALLOWED_CONTENT_TYPES = (
    "video/mp4", "video/webm", "video/quicktime", "audio/mp4", "audio/mpeg", "audio/ogg",
    "audio/wav",
)
# Top-level boxes an old QuickTime file may start with instead of ftyp.
QUICKTIME_FIRST_BOXES = {b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}
MAX_BOXES = 100_000  # a fragmented recording has a few thousand; stop walking after this


class MediaError(Exception):
    """Not a recording we accept; the message says why (for logs, not for users)."""


@dataclass(frozen=True)
class MediaInfo:
    content_type: str
    duration_seconds: int | None = None


@dataclass(frozen=True)
class _Box:
    type: bytes
    start: int  # first byte of the payload
    end: int


def _boxes(f, start: int, end: int, limit: int = MAX_BOXES):
    """The boxes between start and end; stops at the first malformed header."""
    offset = start
    count = 0
    while offset + 8 <= end and count < limit:
        f.seek(offset)
        header = f.read(8)
        if len(header) < 8:
            return
        size, box_type = int.from_bytes(header[:4], "big"), header[4:8]
        header_len = 8
        if size == 1:
            large = f.read(8)
            if len(large) < 8:
                return
            size, header_len = int.from_bytes(large, "big"), 16
        elif size == 0:
            size = end - offset
        if size < header_len or not all(0x20 <= b <= 0x7E for b in box_type):
            return
        # A box running past the end (a truncated mdat) is reported as far as it goes.
        yield _Box(box_type, offset + header_len, min(offset + size, end))
        offset += size
        count += 1


def _child(f, box: _Box, box_type: bytes) -> _Box | None:
    return next((b for b in _boxes(f, box.start, box.end, 1000) if b.type == box_type), None)


def _mvhd_duration(f, moov: _Box) -> int | None:
    mvhd = _child(f, moov, b"mvhd")
    if mvhd is None:
        return None
    f.seek(mvhd.start)
    data = f.read(32)
    if len(data) < 20:
        return None
    if data[0] == 1:
        if len(data) < 32:
            return None
        timescale = int.from_bytes(data[20:24], "big")
        duration = int.from_bytes(data[24:32], "big")
        unknown = 0xFFFFFFFFFFFFFFFF
    else:
        timescale = int.from_bytes(data[12:16], "big")
        duration = int.from_bytes(data[16:20], "big")
        unknown = 0xFFFFFFFF
    if not timescale or duration == unknown:
        return None
    return round(duration / timescale)


def _track_kinds(f, moov: _Box) -> set[bytes]:
    """Handler types of the tracks ('vide', 'soun', ...)."""
    kinds = set()
    for trak in _boxes(f, moov.start, moov.end, 1000):
        if trak.type != b"trak":
            continue
        mdia = _child(f, trak, b"mdia")
        hdlr = mdia and _child(f, mdia, b"hdlr")
        if hdlr:
            f.seek(hdlr.start + 8)  # version/flags, pre_defined
            kinds.add(f.read(4))
    return kinds


def _sniff_mp4(f, size: int) -> MediaInfo:
    boxes = _boxes(f, 0, size)
    first = next(boxes, None)
    if first is None or (first.type != b"ftyp" and first.type not in QUICKTIME_FIRST_BOXES):
        raise MediaError("not an ISO media file")
    brand = b""
    if first.type == b"ftyp":
        f.seek(first.start)
        brand = f.read(4)
    moov = first if first.type == b"moov" else next((b for b in boxes if b.type == b"moov"), None)
    if moov is None:
        raise MediaError("no moov box: the file is incomplete or not a movie")
    if brand == b"qt  " or first.type != b"ftyp":
        content_type = "video/quicktime"
    elif brand in (b"M4A ", b"M4B ") or b"vide" not in _track_kinds(f, moov):
        content_type = "audio/mp4"
    else:
        content_type = "video/mp4"
    return MediaInfo(content_type, _mvhd_duration(f, moov))


def sniff(f, size: int) -> MediaInfo:
    """The media type of a seekable binary file, or MediaError. Leaves f at 0."""
    try:
        f.seek(0)
        head = f.read(64)
        if len(head) < 12:
            raise MediaError("too short")
        if head[4:8] in (b"ftyp", *QUICKTIME_FIRST_BOXES):
            return _sniff_mp4(f, size)
        if head.startswith(b"\x1a\x45\xdf\xa3"):
            if b"webm" not in head:
                raise MediaError("Matroska but not WebM")
            return MediaInfo("video/webm")
        if head.startswith(b"ID3") or (head[0] == 0xFF and head[1] in (0xFB, 0xFA, 0xF3, 0xF2,
                                                                      0xE3, 0xE2)):
            return MediaInfo("audio/mpeg")
        if head.startswith(b"OggS"):
            return MediaInfo("audio/ogg")
        if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
            return MediaInfo("audio/wav")
        raise MediaError("unknown signature")
    finally:
        f.seek(0)
