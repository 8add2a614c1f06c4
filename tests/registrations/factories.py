"""Registrations in a given state, built through the real services where it matters."""

import hashlib
import io

from django.core.files.base import ContentFile
from reportlab.pdfgen import canvas

from verifikasi.registrations.models import Document, DocumentCheck, Registration
from verifikasi.registrations.services import PRIVACY_NOTICE_VERSION

COMPANY = {
    "business_form": "cv",
    "company_name": "CV Maju Jaya",
    "npwp": "0013000666091000",
    "npwp_display": "01.300.066.6-091.000",
    "nib": "9120001234567",
    "address": "Jalan Merdeka No. 1",
    "province": "Kalimantan Barat",
    "regency": "Kabupaten Ketapang",
    "postal_code": "78813",
    "phone": "+6281234567890",
    "email": "cv.maju@example.test",
    "director_name": "Budi Santoso",
    "director_nik": "6104011201900001",
    "spse_user_id": "cvmajujaya",
}


def pdf_bytes(text="Dokumen uji", pages=1) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for i in range(pages):
        c.drawString(72, 720, f"{text} — halaman {i + 1}")
        c.showPage()
    c.save()
    return buf.getvalue()


def make_registration(vendor, office, *, complete=True, **fields) -> Registration:
    data = {**COMPANY, **fields} if complete else fields
    return Registration.objects.create(vendor=vendor, office=office, **data)


def add_document(registration, code, *, pages=1, version=None) -> Document:
    dt = registration.office.document_types.get(code=code)
    content = pdf_bytes(f"{dt.name} {registration.company_name}", pages)
    version = version or (
        Document.objects.filter(registration=registration, document_type=dt).count() + 1)
    doc = Document(registration=registration, document_type=dt, version=version,
                   original_name=f"{code}.pdf", sha256=hashlib.sha256(content).hexdigest(),
                   size=len(content), page_count=pages, uploaded_by=registration.vendor,
                   check_state=DocumentCheck.ACCEPTED)
    doc.file.save("x.pdf", ContentFile(content), save=False)
    doc.save()
    return doc


def add_all_documents(registration):
    from verifikasi.registrations.selectors import document_types_applicable

    return [add_document(registration, dt.code) for dt in document_types_applicable(registration)]


def give_consent(registration):
    from django.utils import timezone

    registration.consent_version = PRIVACY_NOTICE_VERSION
    registration.consent_at = timezone.now()
    registration.save()


def propose_first_free_slot(registration):
    """B.8: the vendor proposes the first free verification slot."""
    from verifikasi.scheduling.selectors import free_slots
    from verifikasi.scheduling.services import appointment_propose

    slot = free_slots(registration.office)[0]
    appointment_propose(registration=registration, actor=registration.vendor,
                        starts=[slot.start])
    return slot


def ready_to_submit(vendor, office, **fields) -> Registration:
    registration = make_registration(vendor, office, **fields)
    add_all_documents(registration)
    give_consent(registration)
    if registration.status == "draft":
        propose_first_free_slot(registration)
    return registration
