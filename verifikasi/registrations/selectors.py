"""Reads for registrations, and the access helpers every view uses.

An access helper loads the object named by a URL and returns 404 to anyone
who may not see it (another vendor, staff of another office, anonymous).
"""

from dataclasses import dataclass
from uuid import UUID

from django.db.models import OuterRef, Subquery
from django.http import Http404

from verifikasi.accounts.models import Role
from verifikasi.core.prepared import Prepared

from .models import Document, DocumentCheck, DocumentCondition, DocumentType, Registration


def registration_for_vendor(user, code) -> Registration:
    """The vendor's own registration with its office (compiled once per connection: every
    vendor page and every upload asks for it); 404 for anyone else's or a malformed code."""
    try:
        code = code if isinstance(code, UUID) else UUID(str(code))
    except ValueError:
        raise Http404 from None
    if user.pk is None:
        raise Http404
    registration = _vendor_registration(vendor_id=user.pk, code=code)
    if registration is None:
        raise Http404
    registration.vendor = user
    return registration


def registration_for_user(user, code) -> Registration:
    """The vendor who owns it, or staff of its office."""
    if not user.is_authenticated:
        raise Http404
    if user.role == Role.VENDOR:
        return registration_for_vendor(user, code)
    try:
        return Registration.objects.select_related("office").get(code=code, office=user.office)
    except (Registration.DoesNotExist, ValueError):
        raise Http404 from None


def registration_for_office_staff(user, code) -> Registration:
    """The registration for staff of its own office; 404 to everyone else."""
    if not user.is_authenticated or not user.is_office_staff:
        raise Http404
    return registration_for_user(user, code)


_vendor_registration = Prepared(
    lambda vendor_id, code: Registration.objects.filter(code=code, vendor_id=vendor_id)
    .select_related("office"),
    first=True, vendor_id=int, code=UUID)


def document_type_of_office(office, code: str) -> DocumentType | None:
    """The office's active document type with this code (compiled once per connection)."""
    document_type = _office_document_type(office_id=office.pk, code=code)
    if document_type is not None:
        document_type.office = office
    return document_type


_office_document_type = Prepared(
    lambda office_id, code: DocumentType.objects.filter(office_id=office_id, code=code,
                                                        active=True),
    first=True, office_id=int, code=str)


def newest_version(registration_id: int, document_type_id: int, *,
                   accepted: bool = False) -> Document | None:
    """The highest version of one document of a registration (``accepted``: the highest the
    worker's check accepted, the one that counts); compiled once per connection, as every
    upload and every card asks."""
    if accepted:
        return _newest_accepted(registration_id=registration_id,
                                document_type_id=document_type_id,
                                check_state=DocumentCheck.ACCEPTED.value)
    return _newest_version(registration_id=registration_id, document_type_id=document_type_id)


_newest_version = Prepared(
    lambda registration_id, document_type_id: Document.objects.filter(
        registration_id=registration_id, document_type_id=document_type_id).order_by("-version"),
    first=True, registration_id=int, document_type_id=int)
_newest_accepted = Prepared(
    lambda registration_id, document_type_id, check_state: Document.objects.filter(
        registration_id=registration_id, document_type_id=document_type_id,
        check_state=check_state).order_by("-version"),
    first=True, registration_id=int, document_type_id=int, check_state=str)


# The vendor home's reads, compiled once per connection (core.prepared): every page view
# would otherwise build and compile the same querysets again.
_vendor_registrations_at = Prepared(
    lambda vendor_id, office_id: Registration.objects.filter(
        vendor_id=vendor_id, office_id=office_id).select_related("office").order_by("-created_at"),
    vendor_id=int, office_id=int)
_vendor_registrations_by_code = Prepared(
    lambda vendor_id, office_code: Registration.objects.filter(
        vendor_id=vendor_id, office__code=office_code)
    .select_related("office").order_by("-created_at"),
    vendor_id=int, office_code=str)
_applicable_types = Prepared(
    lambda office_id: DocumentType.objects.filter(office_id=office_id, active=True),
    office_id=int)
_registration_documents = Prepared(
    lambda registration_id: Document.objects.filter(
        registration_id=registration_id).order_by("version", "pk"),
    registration_id=int)


def registration_current_for_vendor(user, office=None, *,
                                    office_code: str = "") -> Registration | None:
    """The vendor's open registration at this office, else their latest one. A page that
    knows only the office's code passes ``office_code`` and takes the office from the
    registration (it comes along: one query fewer). The vendor is ``user`` itself, not
    loaded again."""
    if office is not None:
        regs = _vendor_registrations_at(vendor_id=user.pk, office_id=office.pk)
    else:
        regs = _vendor_registrations_by_code(vendor_id=user.pk, office_code=office_code)
    for reg in regs:
        reg.vendor = user
    open_reg = next((r for r in regs if r.is_open), None)
    return open_reg or (regs[0] if regs else None)


@dataclass
class ChecklistItem:
    document_type: DocumentType
    reason: str
    latest: Document | None  # the latest accepted version: the one that counts
    # A newer upload not (yet) accepted: "sedang diperiksa" or refused. Only its vendor sees it.
    pending: Document | None = None


def _applies(condition: str, registration: Registration) -> bool:
    return {
        DocumentCondition.ALWAYS: True,
        DocumentCondition.HAS_AKTA_PENDIRIAN: registration.has_akta_pendirian,
        DocumentCondition.HAS_AKTA_PERUBAHAN: registration.has_akta_perubahan,
        DocumentCondition.REPRESENTED: registration.represented,
    }.get(condition, False)


def document_types_applicable(registration: Registration) -> list[DocumentType]:
    """Lampiran 1 rows that apply to this registration, from what the vendor declared."""
    office = registration.office
    types = _applicable_types(office_id=office.pk)
    for dt in types:
        dt.office = office  # as office.document_types would set it
    return [dt for dt in types if _applies(dt.condition, registration)]


def document_type_applies(registration: Registration, document_type: DocumentType) -> bool:
    """One row of ``document_types_applicable`` without asking for the others."""
    return (document_type.active and document_type.office_id == registration.office_id
            and _applies(document_type.condition, registration))


def _newest(registration: Registration, *, checked: bool):
    uploads = Document.objects.filter(registration=registration,
                                      document_type=OuterRef("document_type"))
    if checked:
        uploads = uploads.filter(check_state=DocumentCheck.ACCEPTED)
    return Subquery(uploads.order_by("-version").values("pk")[:1])


def latest_documents(registration: Registration) -> dict[int, Document]:
    """The latest version of each document type that the worker's check accepted: the one
    that counts, and the only kind staff ever see."""
    docs = Document.objects.filter(registration=registration,
                                   pk=_newest(registration, checked=True))
    return {d.document_type_id: d for d in docs.select_related("document_type")}


def registration_checklist(registration: Registration) -> list[ChecklistItem]:
    """Each applicable document with the version that counts and, for its vendor, a newer
    upload still being checked or refused. One plain query over the registration's uploads
    (a few dozen rows at most), walked in version order: cheaper to build than the two
    correlated subqueries of ``latest_documents``."""
    types = document_types_applicable(registration)
    by_pk = {dt.pk: dt for dt in types}
    latest, pending = {}, {}
    for doc in _registration_documents(registration_id=registration.pk):
        if doc.document_type_id in by_pk:
            doc.document_type = by_pk[doc.document_type_id]
        if doc.check_state == DocumentCheck.ACCEPTED:
            latest[doc.document_type_id] = doc
            pending.pop(doc.document_type_id, None)
        else:
            pending[doc.document_type_id] = doc
    return [
        ChecklistItem(dt, DocumentCondition(dt.condition).label, latest.get(dt.pk),
                      pending.get(dt.pk))
        for dt in types
    ]


def step_checklist(step) -> list[ChecklistItem]:
    """The checklist for the conditions of one workflow step, built once for all of them
    (the caller may hand in the one its page already built, as ``checklist=``)."""
    if "checklist" not in step.data:
        step.data["checklist"] = registration_checklist(step.registration)
    return step.data["checklist"]
