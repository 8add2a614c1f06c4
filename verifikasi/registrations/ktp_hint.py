"""The NIK read from a KTP photo, as a hint for the verifier (issue 20).

When a KTP (the director's or the attorney's) has passed its file checks, the worker
renders its first page, lets Tesseract read it (registrations.ocr) and keeps the NIK it
found, with the engine's confidence. The review screen then says "NIK pada KTP: … — sama /
berbeda dengan data perusahaan". A hint only: nothing is refused or changed because of it.

OCR confuses letters and digits that look alike (O/0, I/1, B/8, S/5 …); on the NIK line a
token that is mostly digits is read as digits, and only a NIK that passes the project's
NIK check (region, birth date: registrations.identifiers) counts.
"""

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from verifikasi.core import pdfcheck
from verifikasi.core.audit import audit_log

from . import identifiers, ocr
from .models import Document, DocumentCheck, Registration

#: Document types that are a KTP, and the NIK of the registration each should show.
KTP_TYPES = {"ktp": "director_nik", "ktp_penerima_kuasa": "representative_nik"}

#: The page is rendered this wide for the engine (a photo fills the A4 page's width).
RENDER_WIDTH_PX = 2400

# Shapes OCR takes for digits on a KTP's printed NIK.
DIGIT_LOOKALIKES = str.maketrans({
    "O": "0", "o": "0", "D": "0", "Q": "0", "U": "0", "C": "0",
    "I": "1", "l": "1", "i": "1", "|": "1", "!": "1", "L": "1", "J": "1", "]": "1",
    "[": "1", "T": "7", "Z": "2", "z": "2", "B": "8", "S": "5", "s": "5", "G": "6",
    "b": "6", "A": "4", "q": "9", "g": "9", "?": "7",
})
_LOOKALIKE_CHARS = "".join(chr(c) for c in DIGIT_LOOKALIKES)
_NIK_LABEL = re.compile(r"^[NMH][I1l|!][KX]\W*$|^NIK", re.IGNORECASE)
_NIK_PREFIX = re.compile(r"^[NMH][I1l|!][KX]\W*(?=.)")
_SEPARATORS = re.compile(r"[\s:;.,\-_'\"`~]+")


@dataclass(frozen=True)
class NikReading:
    nik: str
    confidence: int  # 0–100


def _as_digits(token: str) -> str:
    """A token read as digits when it is made only of digits and their look-alikes, at
    least one a real digit (a word such as "SOLO" stays a word; and only sixteen digits
    that pass the NIK check count in the end)."""
    token = _SEPARATORS.sub("", token)
    if not any(ch.isdigit() for ch in token):
        return ""
    if any(not ch.isdigit() and ch not in _LOOKALIKE_CHARS for ch in token):
        return ""
    return token.translate(DIGIT_LOOKALIKES)


def _valid(candidate: str) -> str:
    try:
        return identifiers.nik_clean(candidate)
    except ValidationError:
        return ""


def nik_in_text(text: str) -> str:
    """The first valid NIK in a line of OCR text ("NIK : 61O4O1I2O19OOOO1"), or ""."""
    return next((nik for nik, _n in _niks_in_tokens(text.split())), "")


def _niks_in_tokens(tokens: list[str]):
    """(nik, how many tokens it was made of) for every valid NIK in a line's tokens: one
    token, or neighbours that OCR split apart ("6104 0112 0190 0001")."""
    parts = [_as_digits(_NIK_PREFIX.sub("", t)) for t in tokens]
    for start in range(len(parts)):
        joined = ""
        for end in range(start, len(parts)):
            if not parts[end]:
                break
            joined += parts[end]
            if len(joined) > 18:
                break
            # A stray mark read beside the number ("1" from a colon) can lengthen it.
            for offset in range(len(joined) - 15):
                nik = _valid(joined[offset:offset + 16])
                if nik:
                    yield nik, (start, end)
                    break


def nik_from_words(words: list[ocr.Word]) -> NikReading | None:
    """The NIK on a KTP from the engine's words: preferably on the line labelled NIK."""
    lines: dict[tuple, list[ocr.Word]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    found = []
    for line in lines.values():
        labelled = any(_NIK_LABEL.match(w.text) for w in line)
        for nik, (start, end) in _niks_in_tokens([w.text for w in line]):
            used = line[start:end + 1]
            confidence = round(sum(w.confidence for w in used) / len(used))
            found.append((labelled, confidence, nik))
    if not found:
        return None
    labelled, confidence, nik = max(found)
    return NikReading(nik, max(0, min(100, confidence)))


def read_nik(image: Path) -> NikReading | None:
    """The NIK on a KTP image, or None when none could be read. Raises ocr.OcrFailed."""
    return nik_from_words(ocr.read_words(image))


def _render_first_page(document: Document, work: Path) -> Path:
    source, image = work / "document.pdf", work / "page-1.png"
    with default_storage.open(document.file.name, "rb") as f, open(source, "wb") as out:
        while chunk := f.read(1024 * 1024):
            out.write(chunk)
    pdfcheck.render_page_png(source, image, page_index=0, width_px=RENDER_WIDTH_PX)
    return image


def document_nik_read(document_id: int) -> str:
    """Read the NIK from an accepted KTP (run by the worker); what happened, as a word.

    Idempotent: a document already read is left alone and of two runs one records.
    """
    document = (Document.objects.select_related("registration__office", "document_type")
                .filter(pk=document_id).first())
    if document is None:
        return "missing"
    if document.document_type.code not in KTP_TYPES:
        return "not_ktp"
    if document.ocr_read_at is not None:
        return "done"
    if document.check_state != DocumentCheck.ACCEPTED or not document.file \
            or document.purged_at:
        return "unchecked"
    if not ocr.engine_status().available:
        return "unavailable"  # no hint; /healthz says why
    with tempfile.TemporaryDirectory(prefix="verifikasi-ocr-",
                                     dir=settings.FILE_UPLOAD_TEMP_DIR) as work:
        image = _render_first_page(document, Path(work))
        try:
            reading = read_nik(image)
        except ocr.OcrFailed:
            return "failed"
    won = Document.objects.filter(pk=document.pk, ocr_read_at__isnull=True).update(
        ocr_nik=reading.nik if reading else "",
        ocr_confidence=reading.confidence if reading else None,
        ocr_read_at=timezone.now())
    if won:
        audit_log(action="document.nik_read", office=document.registration.office,
                  obj=document, details={"registration": str(document.registration.code),
                                         "type": document.document_type.code,
                                         "found": reading is not None})
    return "read" if reading else "not_found"


@dataclass(frozen=True)
class NikHint:
    document_name: str
    nik: str  # "" when the KTP was read but no NIK found
    confidence: int | None
    same: bool

    @property
    def sentence(self) -> str:
        if not self.nik:
            return _("NIK tidak terbaca otomatis; periksa KTP secara langsung.")
        verdict = _("sama dengan data perusahaan") if self.same else \
            _("berbeda dengan data perusahaan")
        return _("%(nik)s — %(verdict)s (keyakinan %(confidence)d%%)") % {
            "nik": self.nik, "verdict": verdict, "confidence": self.confidence or 0}


def nik_hint(registration: Registration, document: Document) -> NikHint | None:
    """What the review screen says about a read KTP; None when it was not read (yet)."""
    field = KTP_TYPES.get(document.document_type.code)
    if field is None or document.ocr_read_at is None:
        return None
    expected = getattr(registration, field)
    return NikHint(document_name=document.document_type.name, nik=document.ocr_nik,
                   confidence=document.ocr_confidence,
                   same=bool(document.ocr_nik) and document.ocr_nik == expected)
