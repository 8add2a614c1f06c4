"""Demo data that shows the duplicate card and the KTP's NIK hint (issue 20; seed_demo).

Two companies with the same NPWP under different names, each registered by its own
vendor through the real services: "CV Sinar Abadi" was submitted and rejected last
year; "CV Sinar Abadi Jaya" is submitted now and waits in the verifiers' queue, where
its review screen shows the other registration and the flags "NPWP used under another
company name" and "rejected before". Their documents are generated photos; the KTP is a
KTP-like card with the director's NIK, so the worker's OCR hint shows too.

Idempotent: nothing happens when the demo companies exist already.
"""

from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from verifikasi.accounts.models import User

from . import checking, review, services, uploads
from .ktp_sample import CARD_PX, REGULAR, card_jpeg, font, ktp_image
from .models import Registration
from .selectors import document_types_applicable

NPWP = "0027150010345000"
NPWP_DISPLAY = "02.715.001.0-345.000"
COMPANY = {
    "business_form": "cv", "npwp": NPWP, "npwp_display": NPWP_DISPLAY,
    "address": "Jalan Gajah Mada No. 12", "province": "Kalimantan Barat",
    "regency": "Kabupaten Ketapang", "postal_code": "78811",
    "phone": "+6281345678901", "director_name": "Hendra Gunawan",
    "director_nik": "6104011503800004", "spse_user_id": "",
}
OLD = {"company_name": "CV Sinar Abadi", "nib": "9120005550001", "email": "sinar@demo.test",
       "spse_user_id": "sinarabadi"}
NEW = {"company_name": "CV Sinar Abadi Jaya", "nib": "9120005550002",
       "email": "sinarjaya@demo.test", "spse_user_id": "sinarabadijaya"}
REJECT_REASON = "NIB pada dokumen tidak sesuai dengan data perusahaan (data demo)."


def _photo(document_name: str, company: str) -> bytes:
    card = Image.new("RGB", CARD_PX, "white")
    draw = ImageDraw.Draw(card)
    draw.text((40, 40), document_name.upper(), font=font(REGULAR, 40), fill="black")
    draw.text((40, 120), company, font=font(REGULAR, 30), fill="black")
    draw.text((40, 560), "CONTOH DOKUMEN DEMO", font=font(REGULAR, 24), fill="gray")
    return card_jpeg(card)


def _vendor(email: str, name: str) -> User:
    return User.objects.create_user(email, None, full_name=name)  # no password: demo data


def _register(vendor: User, office, fields: dict,
              propose: Callable[[Registration], None]) -> Registration:
    registration = services.registration_start(vendor=vendor, office=office)
    registration = services.registration_update_company(
        registration=registration, actor=vendor, data={**COMPANY, **fields})
    for document_type in document_types_applicable(registration):
        if document_type.code == "ktp":
            content = card_jpeg(ktp_image(registration.director_nik, name="HENDRA GUNAWAN"))
        else:
            content = _photo(document_type.name, registration.company_name)
        photo = SimpleUploadedFile(f"{document_type.code}.jpg", content, "image/jpeg")
        document = uploads.document_upload(registration=registration,
                                           document_type=document_type, files=[photo],
                                           actor=vendor)
        checking.document_check(document.pk)  # what the worker would do, at once
    services.registration_consent(registration=registration, actor=vendor)
    propose(registration)
    return services.registration_submit(registration=registration, actor=vendor)


def demo_duplicates_seed(*, office, verifier: User,
                         propose: Callable[[Registration], None]) -> bool:
    """Seed the two demo companies (``propose`` proposes a call date, which the scheduling
    step owns); False when they exist already."""
    if Registration.objects.filter(office=office, npwp=NPWP).exists():
        return False
    old = _register(_vendor("sinar.abadi@demo.test", "Hendra Gunawan (CV Sinar Abadi)"),
                    office, OLD, propose)
    review.registration_take(registration=old, actor=verifier)
    review.registration_reject(registration=old, actor=verifier, reason=REJECT_REASON)
    _register(_vendor("sinar.jaya@demo.test", "Hendra Gunawan (CV Sinar Abadi Jaya)"),
              office, NEW, propose)
    return True
