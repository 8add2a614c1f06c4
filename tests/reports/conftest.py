"""A small office history with hand-computed figures (issue 19: the reports).

All times are 09:00 in the office's time zone. Registration A passes without fixes,
B needs one round of fixes, a reschedule and a no-show; C is rejected, D withdrawn;
E and F are still open (the backlog), G is a draft (not in the backlog).
"""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from verifikasi.core.audit import audit_log_history
from verifikasi.registrations.models import (
    Decision,
    DeficiencyReason,
    Document,
    DocumentReview,
    DocumentType,
    Registration,
)
from verifikasi.registrations.models import RegistrationStatus as S
from verifikasi.scheduling.models import Appointment, AppointmentState

PERIOD = {"group": "month", "start": "2026-10-01", "end": "2026-11-30"}


def at(office, month, day, hour=9):
    return datetime(2026, month, day, hour, tzinfo=office.tzinfo)


def _registration(office, vendor, name, status, submitted_at, **extra):
    return Registration.objects.create(office=office, vendor=vendor, company_name=name,
                                       status=status, submitted_at=submitted_at, **extra)


@pytest.fixture
def history(office, vendor, verifier, coordinator):
    now = timezone.now()
    a = _registration(office, vendor, "CV Alfa", S.COMPLETED, at(office, 10, 1))
    b = _registration(office, vendor, "CV Beta", S.CERTIFICATE_SENT, at(office, 10, 5))
    c = _registration(office, vendor, "CV Gama", S.REJECTED, at(office, 11, 1))
    d = _registration(office, vendor, "CV Delta", S.WITHDRAWN, at(office, 11, 10))
    e = _registration(office, vendor, "CV Eka", S.SUBMITTED, now - timedelta(days=10),
                      assigned_to=verifier)
    f = _registration(office, vendor, "CV Fajar", S.DOCUMENTS_ACCEPTED,
                      now - timedelta(days=20), assigned_to=coordinator)
    _registration(office, vendor, "CV Draf", S.DRAFT, None)
    steps = [
        (a, "submit", vendor, (10, 1)), (a, "accept_documents", verifier, (10, 3)),
        (a, "confirm_schedule", verifier, (10, 4)), (a, "record_pass", verifier, (10, 8)),
        (a, "issue_certificate", None, (10, 9)), (a, "confirm_receipt", vendor, (10, 10)),
        (b, "submit", vendor, (10, 5)), (b, "request_revision", verifier, (10, 6)),
        (b, "resubmit", vendor, (10, 9)), (b, "accept_documents", coordinator, (10, 10)),
        (b, "confirm_schedule", verifier, (10, 11)), (b, "reschedule", vendor, (10, 12)),
        (b, "confirm_schedule", verifier, (10, 13)), (b, "record_no_show", verifier, (10, 15)),
        (b, "confirm_schedule", verifier, (10, 16)), (b, "record_pass", verifier, (11, 2)),
        (b, "issue_certificate", None, (11, 4)),
        (c, "submit", vendor, (11, 1)), (c, "reject", verifier, (11, 3)),
        (d, "submit", vendor, (11, 10)), (d, "withdraw", vendor, (11, 11)),
    ]
    entries = [{"action": f"registration.{action}", "actor": actor, "office": office,
                "obj": r, "at": at(office, *day)} for r, action, actor, day in steps]
    entries.append({"action": "certificate.revoked", "actor": coordinator, "office": office,
                    "object_type": "certificates.certificate", "object_id": "x",
                    "at": at(office, 11, 20)})
    entries.sort(key=lambda entry: entry["at"])
    audit_log_history(entries)
    for r, confirmed, start in [(a, (10, 4), (10, 8)), (b, (10, 16), (11, 2)),
                                (c, (10, 20), (10, 20, 15))]:
        start = at(office, *start)
        Appointment.objects.create(registration=r, office=office,
                                   state=AppointmentState.HELD if r != c else
                                   AppointmentState.CANCELLED, start=start,
                                   end=start + timedelta(minutes=30),
                                   confirmed_at=at(office, *confirmed))
    ktp = DocumentType.objects.get(office=office, code="ktp")
    npwp = DocumentType.objects.get(office=office, code="npwp")
    r1, r2, r3 = DeficiencyReason.objects.filter(office=office).order_by("order", "pk")[:3]
    for registration, doc_type, decision, reasons in [
            (b, ktp, Decision.NEEDS_FIX, [r1, r2]), (e, ktp, Decision.NEEDS_FIX, [r1]),
            (b, npwp, Decision.NEEDS_FIX, [r3]), (a, ktp, Decision.ACCEPTED, [])]:
        document = Document.objects.create(registration=registration, document_type=doc_type,
                                           sha256="0" * 64, size=1, page_count=1,
                                           uploaded_by=vendor)
        review = DocumentReview.objects.create(registration=registration, round=1,
                                               document_type=doc_type, document=document,
                                               decision=decision, reviewer=verifier)
        review.reasons.set(reasons)
    DocumentReview.objects.filter(registration__office=office).update(
        decided_at=at(office, 10, 6))
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "reasons": (r1, r2, r3),
            "ktp": ktp, "npwp": npwp}
