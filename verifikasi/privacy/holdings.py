"""What the office holds about one person: read only, for the "Data saya" page and the copy.

``holdings_for(user)`` gathers the rows once; the page shows them with identity
numbers masked, the copy (``exports``) writes them in full — it is the person's own data.
"""

from dataclasses import dataclass, field

from django.db.models import Q, TextField
from django.db.models.functions import Cast

from verifikasi.certificates.models import Certificate
from verifikasi.core.models import AuditEvent
from verifikasi.meetings.models import Recording, VerificationCall
from verifikasi.notifications.models import OutboundEmail
from verifikasi.registrations.models import Document, FieldFlag, Registration
from verifikasi.scheduling.models import Appointment
from verifikasi.whatsapp.models import WhatsAppContact

from .models import DataExport, DataRequest

PAGE_EMAILS = 20
PAGE_AUDIT = 30



def mask(value: str, keep: int = 4) -> str:
    """An identity number as the page shows it: only the last digits."""
    value = value or ""
    if len(value) <= keep:
        return "•" * len(value)
    return "•" * (len(value) - keep) + value[-keep:]


@dataclass
class Holdings:
    user: object
    registrations: list = field(default_factory=list)
    documents: list = field(default_factory=list)
    recordings: list = field(default_factory=list)
    calls: list = field(default_factory=list)
    certificates: list = field(default_factory=list)
    appointments: list = field(default_factory=list)
    flags: list = field(default_factory=list)
    requests: list = field(default_factory=list)
    exports: list = field(default_factory=list)
    whatsapp: object = None  # the WhatsApp number and opt-in, when one was given


def holdings_for(user) -> Holdings:
    regs = list(Registration.objects.filter(vendor=user).select_related("office")
                .order_by("-created_at"))
    ids = [r.pk for r in regs]
    return Holdings(
        user=user,
        registrations=regs,
        documents=list(Document.objects.filter(registration_id__in=ids)
                       .select_related("document_type", "registration")
                       .order_by("registration_id", "document_type__order", "-version")),
        recordings=list(Recording.objects.filter(registration_id__in=ids)
                        .select_related("registration").order_by("-created_at")),
        calls=list(VerificationCall.objects.filter(registration_id__in=ids)
                   .order_by("-recorded_at")),
        certificates=list(Certificate.objects.filter(registration_id__in=ids)
                          .order_by("-issued_at")),
        appointments=list(Appointment.objects.filter(registration_id__in=ids)),
        flags=list(FieldFlag.objects.filter(registration_id__in=ids).order_by("created_at")),
        requests=list(DataRequest.objects.filter(requester=user).order_by("-received_at")),
        exports=list(DataExport.objects.filter(user=user).order_by("-requested_at")),
        whatsapp=WhatsAppContact.objects.filter(user=user).first(),
    )


def _addresses(holdings: Holdings) -> set[str]:
    found = {holdings.user.email.lower()}
    found |= {r.email.lower() for r in holdings.registrations if r.email}
    return found


def emails_to(holdings: Holdings):
    """Outbox rows addressed to the person (their login or their company's email)."""
    as_text = OutboundEmail.objects.annotate(to_text=Cast("to", TextField()))
    match = Q()
    for address in _addresses(holdings):
        match |= Q(to_text__icontains=f'"{address}"')
    return as_text.filter(match).order_by("-created_at")


def _objects(holdings: Holdings) -> Q:
    pairs = [("registrations.registration", r.code) for r in holdings.registrations]
    pairs += [("registrations.document", d.code) for d in holdings.documents]
    pairs += [("meetings.recording", r.code) for r in holdings.recordings]
    pairs += [("certificates.certificate", c.code) for c in holdings.certificates]
    pairs += [("privacy.dataexport", e.code) for e in holdings.exports]
    pairs += [("privacy.datarequest", r.code) for r in holdings.requests]
    by_type: dict[str, list[str]] = {}
    for object_type, code in pairs:
        by_type.setdefault(object_type, []).append(str(code))
    match = Q(actor=holdings.user)
    for object_type, codes in by_type.items():
        match |= Q(object_type=object_type, object_id__in=codes)
    return match


def audit_about(holdings: Holdings):
    """Audit events by the person or about their records, newest first."""
    return AuditEvent.objects.filter(_objects(holdings)).order_by("-seq")

