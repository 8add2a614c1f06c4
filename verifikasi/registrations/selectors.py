"""Reads for registrations, and the access helpers every view uses.

An access helper loads the object named by a URL and returns 404 to anyone
who may not see it (another vendor, staff of another office, anonymous).
"""

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.http import Http404

from verifikasi.accounts.models import Role

from .models import Document, DocumentCondition, DocumentType, Registration


def registration_for_vendor(user, code) -> Registration:
    try:
        return Registration.objects.select_related("office").get(code=code, vendor=user)
    except (Registration.DoesNotExist, ValueError):
        raise Http404 from None


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


def registration_current_for_vendor(user, office) -> Registration | None:
    """The vendor's open registration at this office, else their latest one."""
    regs = Registration.objects.filter(vendor=user, office=office).order_by("-created_at")
    open_reg = next((r for r in regs if r.is_open), None)
    return open_reg or regs.first()


@dataclass
class ChecklistItem:
    document_type: DocumentType
    reason: str
    latest: Document | None


def _applies(condition: str, registration: Registration) -> bool:
    return {
        DocumentCondition.ALWAYS: True,
        DocumentCondition.HAS_AKTA_PENDIRIAN: registration.has_akta_pendirian,
        DocumentCondition.HAS_AKTA_PERUBAHAN: registration.has_akta_perubahan,
        DocumentCondition.REPRESENTED: registration.represented,
    }.get(condition, False)


def document_types_applicable(registration: Registration) -> list[DocumentType]:
    """Lampiran 1 rows that apply to this registration, from what the vendor declared."""
    return [
        dt for dt in registration.office.document_types.filter(active=True)
        if _applies(dt.condition, registration)
    ]


def latest_documents(registration: Registration) -> dict[int, Document]:
    """The latest uploaded version of each document type (the one that counts)."""
    newest = Document.objects.filter(
        registration=registration, document_type=OuterRef("document_type")
    ).order_by("-version").values("pk")[:1]
    docs = Document.objects.filter(registration=registration, pk=Subquery(newest))
    return {d.document_type_id: d for d in docs.select_related("document_type")}


def registration_checklist(registration: Registration) -> list[ChecklistItem]:
    latest = latest_documents(registration)
    return [
        ChecklistItem(dt, DocumentCondition(dt.condition).label, latest.get(dt.pk))
        for dt in document_types_applicable(registration)
    ]


# --- the verifiers' queue ----------------------------------------------------------

QUEUE_PAGE_SIZE = 50


@dataclass
class QueueFilters:
    status: str = "actionable"
    assigned: str = ""  # "", "me", "unassigned"
    waited_days: int = 0
    q: str = ""


# What a verifier has to act on (the queue's default view).
ACTIONABLE = ["submitted", "documents_accepted", "scheduled", "verified"]


def registration_queue(office, user, filters: QueueFilters):
    """The office's registrations, oldest waiting first, filtered and searchable.

    One query for the page (vendor and assignee joined), indexed on
    (office, status, status_changed_at); search by company name, NPWP, NIB or email.
    """
    from datetime import timedelta

    from django.db.models import Q
    from django.utils import timezone

    qs = Registration.objects.filter(office=office).select_related("vendor", "assigned_to")
    if filters.status == "actionable":
        qs = qs.filter(status__in=ACTIONABLE)
    elif filters.status and filters.status != "all":
        qs = qs.filter(status=filters.status)
    if filters.assigned == "me":
        qs = qs.filter(assigned_to=user)
    elif filters.assigned == "unassigned":
        qs = qs.filter(assigned_to__isnull=True)
    if filters.waited_days:
        qs = qs.filter(status_changed_at__lte=timezone.now() - timedelta(days=filters.waited_days))
    term = filters.q.strip()
    if term:
        digits = "".join(ch for ch in term if ch.isdigit())
        cond = Q(company_name__icontains=term) | Q(email__icontains=term) | Q(
            vendor__email__icontains=term)
        if len(digits) >= 4:
            cond |= Q(npwp__contains=digits) | Q(nib__contains=digits)
        qs = qs.filter(cond)
    return qs.order_by("status_changed_at", "pk")
