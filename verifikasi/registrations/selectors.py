"""Reads for registrations, and the access helpers every view uses.

An access helper loads the object named by a URL and returns 404 to anyone
who may not see it (another vendor, staff of another office, anonymous).
"""

from dataclasses import dataclass

from django.db.models import OuterRef, Q, Subquery
from django.http import Http404

from verifikasi.accounts.models import Role

from .models import Document, DocumentCheck, DocumentCondition, DocumentType, Registration


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


def registration_for_office_staff(user, code) -> Registration:
    """The registration for staff of its own office; 404 to everyone else."""
    if not user.is_authenticated or not user.is_office_staff:
        raise Http404
    return registration_for_user(user, code)


def registration_current_for_vendor(user, office) -> Registration | None:
    """The vendor's open registration at this office, else their latest one."""
    regs = Registration.objects.filter(vendor=user, office=office).select_related(
        "office", "vendor").order_by("-created_at")
    open_reg = next((r for r in regs if r.is_open), None)
    return open_reg or regs.first()


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
    return [
        dt for dt in registration.office.document_types.filter(active=True)
        if _applies(dt.condition, registration)
    ]


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
    upload still being checked or refused (one query for both)."""
    docs = Document.objects.filter(registration=registration).filter(
        Q(pk=_newest(registration, checked=True)) | Q(pk=_newest(registration, checked=False)))
    latest, pending = {}, {}
    for doc in docs.select_related("document_type").order_by("version"):
        if doc.check_state == DocumentCheck.ACCEPTED:
            latest[doc.document_type_id] = doc
            pending.pop(doc.document_type_id, None)
        else:
            pending[doc.document_type_id] = doc
    return [
        ChecklistItem(dt, DocumentCondition(dt.condition).label, latest.get(dt.pk),
                      pending.get(dt.pk))
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
ACTIONABLE = ["submitted", "documents_accepted", "scheduled", "verified", "certificate_sent"]


def registration_queue(office, user, filters: QueueFilters):
    """The office's registrations, oldest waiting first, filtered and searchable.

    One query for the page (vendor and assignee joined), indexed on
    (office, status, status_changed_at); search by company name, NPWP, NIB or email.
    """
    from datetime import timedelta

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
        qs = qs.filter(_search(office, term))
    return qs.order_by("status_changed_at", "pk")


def _prefix(field: str, value: str) -> Q:
    """``field`` starts with ``value``, as a range both SQLite and PostgreSQL index."""
    return Q(**{f"{field}__gte": value, f"{field}__lt": value + ":"})  # ":" follows "9"


def _search(office, term: str):
    """The queue's search: digits look up NPWP (15 or 16 digits) or NIB by prefix through
    their indexes; an address with "@" the email; anything else the company name, matched
    inside the narrow (office, company_name) index rather than the wide table."""
    import re

    digits = re.sub(r"[\s.\-/]", "", term)
    if digits.isdigit() and len(digits) >= 4:
        npwp16 = "0" + digits if len(digits) == 15 else digits
        return _prefix("npwp", npwp16) | _prefix("npwp", digits) | _prefix("nib", digits)
    if "@" in term:
        return Q(email__icontains=term)
    names = Registration.objects.filter(office=office, company_name__icontains=term)
    return Q(pk__in=names.order_by().values("pk"))


@dataclass
class QueuePage:
    """One page of the queue without counting the whole result (a COUNT over 100,000
    rows with a text search costs as much as the page itself): one row more than the
    page is fetched to know whether there is a next page."""

    rows: list
    number: int

    def __iter__(self):
        return iter(self.rows[:QUEUE_PAGE_SIZE])

    def __len__(self):
        return min(len(self.rows), QUEUE_PAGE_SIZE)

    @property
    def has_next(self) -> bool:
        return len(self.rows) > QUEUE_PAGE_SIZE

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1


def queue_page(qs, number) -> QueuePage:
    try:
        number = max(1, min(int(number or 1), 10_000))
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * QUEUE_PAGE_SIZE
    return QueuePage(list(qs[start:start + QUEUE_PAGE_SIZE + 1]), number)
