"""Helpers for the video call tests: minimal real media files."""

import os


def box(kind: bytes, payload: bytes) -> bytes:
    """One ISO base media box: 32-bit size, four-letter type, payload."""
    return (8 + len(payload)).to_bytes(4, "big") + kind + payload


def mp4_bytes(*, seconds: int = 90, handler: bytes = b"vide", media_size: int = 64 * 1024,
              brand: bytes = b"isom") -> bytes:
    """A minimal MP4 a player would open: ftyp, moov (movie header with the
    duration, one track of the given kind) and an mdat of random media bytes."""
    ftyp = box(b"ftyp", brand + (512).to_bytes(4, "big") + b"isomiso2avc1mp41")
    mvhd = box(b"mvhd", bytes(4) + bytes(8) + (1000).to_bytes(4, "big")
               + (seconds * 1000).to_bytes(4, "big") + bytes(80))
    hdlr = box(b"hdlr", bytes(8) + handler + bytes(12) + b"Handler\x00")
    moov = box(b"moov", mvhd + box(b"trak", box(b"mdia", hdlr)))
    return ftyp + moov + box(b"mdat", os.urandom(media_size))


def queued(task_name: str):
    """Tasks of this name waiting to run (due now or later)."""
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status=TaskResultStatus.READY,
                                       task_path__endswith=f".{task_name}")
