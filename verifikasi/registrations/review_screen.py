"""What the verifier's review screen shows beside the decisions: automatic checks of
identifiers and files, the company data with its flags, the history, and each document
page rendered on the server."""

import tempfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from verifikasi.accounts.models import User
from verifikasi.core import pdfcheck
from verifikasi.core.audit import audit_log
from verifikasi.core.event_text import HistoryLine, history_lines
from verifikasi.core.http import private_file
from verifikasi.core.models import AuditEvent

from . import identifiers, ktp_hint
from .models import Document, FieldFlag, Registration
from .review import FLAGGABLE_FIELDS, ReviewState
from .selectors import registration_checklist


@dataclass
class Check:
    label: str
    ok: bool
    reason: str = ""


def automatic_checks(registration: Registration) -> list[Check]:
    """Identifier and file checks, shown as passed or warning with the reason."""
    checks = []

    def run(label, func, value):
        if not value:
            return
        try:
            func(value)
        except ValidationError as e:
            checks.append(Check(label, False, " ".join(str(m) for m in e.messages)))
        else:
            checks.append(Check(label, True))

    run(_("NIK direktur/pemilik"), identifiers.nik_clean, registration.director_nik)
    if registration.represented:
        run(_("NIK penerima kuasa"), identifiers.nik_clean, registration.representative_nik)
    run(_("NPWP"), lambda v: identifiers.npwp_clean(v, checksum_confirmed=True),
        registration.npwp)
    for warning in registration.identifier_warnings:
        checks.append(Check(_("NPWP"), False, warning))
    run(_("NIB"), identifiers.nib_clean, registration.nib)
    for item in registration_checklist(registration):
        doc = item.latest
        if doc is None:
            checks.append(Check(item.document_type.name, False, _("Belum diunggah.")))
            continue
        notes = list(doc.check_warnings)
        if doc.repaired and not notes:
            notes.append(_("PDF diperbaiki otomatis saat diunggah."))
        checks.append(Check(item.document_type.name, not notes, " ".join(notes)))
        hint = ktp_hint.nik_hint(registration, doc)
        if hint is not None:
            label = _("NIK pada KTP") if item.document_type.code == "ktp" else \
                _("NIK pada KTP penerima kuasa")
            checks.append(Check(label, hint.same, hint.sentence))
    return checks


def flaggable_fields(registration: Registration, state: ReviewState) -> list[dict]:
    """Company data rows with their current flag and whether they changed since flagged."""
    earlier = {}
    for f in FieldFlag.objects.filter(registration=registration,
                                      round__lt=registration.review_round).order_by("round"):
        earlier[f.field] = f
    rows = []
    for name in FLAGGABLE_FIELDS:
        if name.startswith("representative_") and not registration.represented:
            continue
        value = getattr(registration, name)
        display = getattr(registration, f"get_{name}_display", lambda v=value: v)()
        if name == "npwp" and registration.npwp_display:
            display = f"{registration.npwp_display} ({value})"
        prev = earlier.get(name)
        rows.append({
            "name": name,
            "label": Registration._meta.get_field(name).verbose_name,
            "value": display,
            "flag": state.flags.get(name),
            "changed": prev is not None and str(value) != prev.value_at_review,
        })
    return rows


#: Audited reads of the review screen itself: in the audit log, not in the history
#: (every visit would add a line).
NOT_IN_HISTORY = ["registration.duplicates_shown"]


def registration_history(registration: Registration) -> list[HistoryLine]:
    """The registration's audit trail, oldest first, as sentences with who and when."""
    return history_lines(AuditEvent.objects.filter(
        object_type=Registration._meta.label_lower, object_id=str(registration.code)
    ).exclude(action__in=NOT_IN_HISTORY).order_by("seq"))


def document_page_response(*, document: Document, page: int, actor: User, request=None):
    """One page as a PNG rendered on the server (no reliance on a browser PDF plugin).

    Rendered once and kept next to the document; every view is audited because
    a KTP page is personal data.
    """
    if not 1 <= page <= document.page_count or document.purged_at or not document.file:
        raise Http404
    name = f"pages/{document.code}/{page}.png"
    if not default_storage.exists(name):
        with tempfile.TemporaryDirectory() as tmp:
            pdf_path = f"{tmp}/doc.pdf"
            with document.file.open("rb") as src, open(pdf_path, "wb") as dst:
                for chunk in iter(lambda: src.read(1024 * 1024), b""):
                    dst.write(chunk)
            png_path = f"{tmp}/page.png"
            pdfcheck.render_page_png(pdf_path, png_path, page_index=page - 1, width_px=1200)
            with open(png_path, "rb") as fh:
                saved = default_storage.save(name, File(fh))
            if saved != name:
                # Another request rendered the same page at the same moment; the storage
                # kept both under different names. Only ``name`` is ever read (and purged
                # with the document), so the extra copy would stay behind for good.
                default_storage.delete(saved)
    audit_log(action="document.page_viewed", actor=actor, office=document.registration.office,
              obj=document, request=request, details={"page": page})
    return private_file(FileResponse(default_storage.open(name, "rb"), content_type="image/png"))
