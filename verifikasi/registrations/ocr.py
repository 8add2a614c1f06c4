"""Tesseract, the OCR engine the distribution ships (``tesseract-ocr`` with the Indonesian
data ``tesseract-ocr-ind``), run as a subprocess with a timeout (issue 20).

Only this module knows how to call it. Absent engine or language data: ``engine_status``
says so (the health check shows it as a line, not a failure) and the KTP hint is skipped.
"""

import functools
import shutil
import subprocess  # noqa: S404 - a fixed program with arguments as a list, never a shell
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

#: The language data the KTP needs ("NIK", "Nama", "Tempat/Tgl Lahir" …).
LANGUAGE = "ind"


class OcrFailed(Exception):
    """The engine is missing, timed out or failed on this image."""


@dataclass(frozen=True)
class EngineStatus:
    available: bool
    detail: str


@dataclass(frozen=True)
class Word:
    text: str
    confidence: float  # 0–100, as Tesseract reports it
    line: tuple[int, int, int]  # block, paragraph, line


@functools.lru_cache(maxsize=4)
def _status(command: str) -> EngineStatus:
    path = shutil.which(command)
    if path is None:
        return EngineStatus(False, f"{command} not found (apt-get install tesseract-ocr "
                                   f"tesseract-ocr-{LANGUAGE})")
    try:
        result = subprocess.run([path, "--list-langs"], capture_output=True, text=True,
                                timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired) as e:
        return EngineStatus(False, f"{command} does not run: {type(e).__name__}")
    languages = set((result.stdout + result.stderr).split())
    if LANGUAGE not in languages:
        return EngineStatus(False, f"language data '{LANGUAGE}' missing "
                                   f"(apt-get install tesseract-ocr-{LANGUAGE})")
    version = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10,
                             check=False).stdout.split("\n", 1)[0].strip()
    return EngineStatus(True, version or path)


def engine_status() -> EngineStatus:
    """Whether the engine and its Indonesian data are there (cached per process: the health
    check is polled)."""
    if not settings.OCR_ENABLED:
        return EngineStatus(False, "disabled (OCR_ENABLED=0)")
    return _status(settings.OCR_TESSERACT_CMD)


def read_words(image: Path, *, psm: int = 11) -> list[Word]:
    """The words Tesseract finds on an image, with their confidence, in reading order.

    Page segmentation 11 ("sparse text") suits a card: short labelled fields beside a
    photo, not paragraphs.
    """
    status = engine_status()
    if not status.available:
        raise OcrFailed(status.detail)
    command = [shutil.which(settings.OCR_TESSERACT_CMD) or settings.OCR_TESSERACT_CMD,
               str(image), "stdout", "-l", LANGUAGE, "--psm", str(psm), "tsv"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False,
                                timeout=settings.OCR_TIMEOUT_SECONDS,
                                env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"})
    except subprocess.TimeoutExpired:
        raise OcrFailed(f"timed out after {settings.OCR_TIMEOUT_SECONDS} s") from None
    except OSError as e:
        raise OcrFailed(type(e).__name__) from None
    if result.returncode != 0:
        raise OcrFailed(result.stderr.strip()[-300:] or f"exit code {result.returncode}")
    return _parse_tsv(result.stdout)


def _parse_tsv(tsv: str) -> list[Word]:
    words = []
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) != 12 or cells[0] != "5" or not cells[11].strip():
            continue
        try:
            confidence = float(cells[10])
            line = (int(cells[2]), int(cells[3]), int(cells[4]))
        except ValueError:
            continue
        words.append(Word(cells[11].strip(), max(confidence, 0.0), line))
    return words
