"""The verifiers' queue (antrean verifikasi): filters, search and keyset pages.

An office's registrations, oldest waiting first, ordered by (status_changed_at, code).
A page is found by where the previous one ended (a cursor in the link), never by
OFFSET, so page 2,000 of a national database costs what page 1 costs; and the total is
counted only up to a cap, because counting 10⁶ matching rows costs more than the page.
"""

import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.core.cache import caches
from django.db import connection
from django.db.models import BigIntegerField, Count, Q, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verifikasi.offices.workdays import WorkCalendar

from .deadlines import countdown_text, days_left, office_today
from .models import ACTIONABLE_STATUSES, Registration, RegistrationStatus
from .sla import sla_days_left

QUEUE_PAGE_SIZE = 50
COUNT_CAP = 1000
ERR_CURSOR = _("Tautan halaman ini tidak dikenali (mungkin terpotong); yang ditampilkan "
               "adalah halaman pertama.")

ACTIONABLE = ACTIONABLE_STATUSES
STATUS_COUNTS_SECONDS = 60


@dataclass
class QueueFilters:
    status: str = "actionable"
    assigned: str = ""  # "", "me", "unassigned"
    waited_days: int = 0
    q: str = ""
    late: bool = False  # "Terlambat": past the service time or the deficiency deadline


def status_counts(office) -> dict[str, int]:
    """How many of the office's registrations each status holds, for the queue's status
    filter: one grouped query over the (office, status, …) index, kept 60 s per office
    (the numbers guide a choice; a minute old is fine, a count per page view is not).
    Also "actionable" and "all", the filter's two summaries. Kept in the worker's own
    memory (the "local" cache): reading them from the database cache cost a query."""
    cache = caches["local"]
    key = f"queue-status-counts:{office.pk}"
    counts = cache.get(key)
    if counts is None:
        counts = dict(Registration.objects.filter(office=office).order_by()
                      .values_list("status").annotate(n=Count("pk")))
        counts["actionable"] = sum(counts.get(s, 0) for s in ACTIONABLE)
        counts["all"] = sum(n for s, n in counts.items() if s != "actionable")
        cache.set(key, counts, STATUS_COUNTS_SECONDS)
    return counts


# What a queue row shows and its clocks read, fetched as plain values (values_list): loading
# a registration's other fifty columns (and its vendor's and verifier's) cost more than
# the query itself, and building fifty model instances and their related objects cost
# as much again (issue 16). A row is a QueueRow with these names as attributes.
QUEUE_COLUMNS = (
    "code", "office_id", "status", "status_changed_at", "company_name", "npwp",
    "npwp_display", "nib", "sla_running_since", "sla_due_on", "revision_deadline",
    "vendor__email", "assigned_to_id", "assigned_to__email", "assigned_to__full_name",
)
_STATUS_LABELS = dict(RegistrationStatus.choices)


class QueueRow:
    """One row of a queue page: the values of QUEUE_COLUMNS (``vendor__email`` as
    ``vendor_email`` …), read by the clocks, the cursor and the row's markup like a
    registration's attributes."""

    __slots__ = tuple(c.replace("__", "_") for c in QUEUE_COLUMNS) + (
        "sla_left", "sla_late", "deadline_left", "deadline_text", "overdue",
        "review_url", "take_url", "assign_url", "row_html")

    def __init__(self, values):
        for name, value in zip(QueueRow.__slots__, values, strict=False):
            setattr(self, name, value)

    @property
    def vendor(self):
        return _Person(self.vendor_email, "")

    @property
    def assigned_to(self):
        """Who handles it, shown as the user's name or else email (User.__str__)."""
        if self.assigned_to_id is None:
            return None
        return _Person(self.assigned_to_email, self.assigned_to_full_name)

    def get_status_display(self) -> str:
        return str(_STATUS_LABELS.get(self.status, self.status))


class _Person:
    __slots__ = ("email", "full_name")

    def __init__(self, email, full_name):
        self.email, self.full_name = email, full_name

    def __str__(self):
        return self.full_name or self.email


def queue_rows_of(qs) -> list[QueueRow]:
    """The page query: the rows of ``qs`` (a slice of registration_queue's queryset) as
    QueueRows. (One function, so that its SQL can be compiled once and reused.)"""
    return [QueueRow(values) for values in qs.values_list(*QUEUE_COLUMNS)]


def registration_queue(office, user, filters: QueueFilters):
    """The office's registrations that match the filters, in the queue's order (never
    another office's: the office is the first column of every index used here), with
    queue_page fetching the columns a queue row shows (QUEUE_COLUMNS)."""
    qs = Registration.objects.filter(_of_office(office))
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
    if filters.late:
        today = office_today(office)
        qs = qs.filter(Q(sla_due_on__lt=today)
                       | Q(status=RegistrationStatus.REVISION_REQUESTED,
                           revision_deadline__lt=today))
    term = filters.q.strip()
    if term:
        qs = qs.filter(_search(office, term))
    return qs.order_by("status_changed_at", "code")


def _of_office(office) -> Q:
    """The office's rows. On PostgreSQL its id is compared as a bigint, the column's type:
    the (office, trigram) GIN indexes take the office through btree_gin, which in
    PostgreSQL 15 compares a bigint only with a bigint, and Django's ``= 2`` is an integer.
    Without the cast a search for "@yahoo.co.id" read the trigram index of every office
    (125,000 entries at 10⁶, ~90 ms) and intersected it with the office's; with it, the
    office's entries only (7,400, ~7 ms). Btree indexes take either."""
    if connection.vendor == "postgresql":
        return Q(office_id=Cast(Value(office.pk), BigIntegerField()))
    return Q(office=office)


def _prefix(field: str, value: str) -> Q:
    """``field`` starts with ``value``, as a range both SQLite and PostgreSQL index."""
    return Q(**{f"{field}__gte": value, f"{field}__lt": value + ":"})  # ":" follows "9"


def _search(office, term: str):
    """The queue's search: digits look up NPWP (15 or 16 digits) or NIB by prefix through
    their indexes; an address with "@" the email from its start ("@domain" anywhere in
    it); anything else the company name, matched
    inside the narrow (office, company_name) index on SQLite and through the (office,
    trigram) indexes on PostgreSQL (migration 0012)."""
    digits = re.sub(r"[\s.\-/]", "", term)
    if digits.isdigit() and len(digits) >= 4:
        npwp16 = "0" + digits if len(digits) == 15 else digits
        return _prefix("npwp", npwp16) | _prefix("npwp", digits) | _prefix("nib", digits)
    if term.startswith("@"):
        return Q(email__icontains=term)  # a domain: the trigram index on PostgreSQL
    if "@" in term:
        return Q(email__istartswith=term)  # an address, typed from its start
    if connection.vendor == "postgresql":
        # The planner picks the (office, name) trigram index or a walk in queue order.
        return Q(company_name__icontains=term)
    names = Registration.objects.filter(office=office, company_name__icontains=term)
    return Q(pk__in=names.order_by().values("pk"))


def queue_clocks(rows, office) -> None:
    """Days left for each row of a page: the service time (``sla_left``) and the
    deficiency deadline (``deadline_left``, ``deadline_text``); negative is overdue."""
    today = office_today(office)
    calendar = WorkCalendar(office)
    texts: dict[int | None, str] = {}  # countdown_text per number of days, once a page
    for reg in rows:
        reg.sla_left = sla_days_left(reg, today=today, calendar=calendar)
        reg.sla_late = -reg.sla_left if reg.sla_left is not None and reg.sla_left < 0 else 0
        reg.deadline_left = left = days_left(reg, today=today, calendar=calendar)
        if left not in texts:
            texts[left] = countdown_text(left)
        reg.deadline_text = texts[left]
        reg.overdue = bool(reg.sla_late) or (left is not None and left < 0)


# --- cursors ---------------------------------------------------------------------------

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
CURSOR = re.compile(r"^(\d{1,17})\.([0-9a-f]{32})$")


def cursor_for(registration) -> str:
    """Where a row stands in the queue's order: microseconds since 1970 and its code
    (the public UUID, never the sequential id)."""
    micros = (registration.status_changed_at - EPOCH) // timedelta(microseconds=1)
    return f"{micros}.{registration.code.hex}"


def cursor_parse(value: str) -> tuple[datetime, uuid.UUID] | None:
    match = CURSOR.match(value or "")
    if match is None:
        return None
    try:
        at = EPOCH + timedelta(microseconds=int(match[1]))
    except OverflowError:
        return None
    return at, uuid.UUID(hex=match[2])


@dataclass
class QueuePage:
    rows: list
    has_next: bool
    has_previous: bool
    total: int
    total_capped: bool
    cursor_error: str = ""
    next_cursor: str = field(init=False, default="")
    previous_cursor: str = field(init=False, default="")
    rows_html: str = field(init=False, default="")  # queue_rows.queue_rows_html

    def __post_init__(self):
        if self.rows:
            self.next_cursor = cursor_for(self.rows[-1]) if self.has_next else ""
            self.previous_cursor = cursor_for(self.rows[0]) if self.has_previous else ""

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous


def status_total(filters: QueueFilters, counts: dict[str, int]) -> int | None:
    """How many a filter of the status alone matches, from the status counts the filter
    form shows (a minute old at most, like them): counting the matches again cost a
    query per page (issue 16). None when other filters narrow it: then it is counted."""
    if filters.assigned or filters.waited_days or filters.q.strip() or filters.late:
        return None
    return counts.get(filters.status, 0)


def _count(qs) -> int:
    """How many match, counting no further than COUNT_CAP + 1."""
    return qs.order_by().values("pk")[:COUNT_CAP + 1].count()


def queue_page(qs, *, after: str = "", before: str = "", total: int | None = None) -> QueuePage:
    """The page after ``after`` (or before ``before``), else the first page. A cursor
    that does not parse gives the first page with ERR_CURSOR, never an error page.
    ``total``: how many match when already known (status_total), else counted."""
    error = ""
    position = cursor_parse(after or before) if (after or before) else None
    if (after or before) and position is None:
        error = str(ERR_CURSOR)
    if position is None:
        rows = queue_rows_of(qs[:QUEUE_PAGE_SIZE + 1])
        # One page holds them all (a search that found what it looked for): no count.
        if len(rows) <= QUEUE_PAGE_SIZE:
            total = len(rows)
        elif total is None:
            total = _count(qs)
        return QueuePage(rows[:QUEUE_PAGE_SIZE], len(rows) > QUEUE_PAGE_SIZE, False,
                         min(total, COUNT_CAP), total > COUNT_CAP, error)
    if total is None:
        total = _count(qs)
    at, code = position
    if after:
        # (status_changed_at, code) > (at, code), written so the index range starts at `at`.
        rows = queue_rows_of(qs.filter(status_changed_at__gte=at)
                             .exclude(status_changed_at=at, code__lte=code)[:QUEUE_PAGE_SIZE + 1])
        return QueuePage(rows[:QUEUE_PAGE_SIZE], len(rows) > QUEUE_PAGE_SIZE, True,
                         min(total, COUNT_CAP), total > COUNT_CAP)
    rows = queue_rows_of(qs.filter(status_changed_at__lte=at)
                         .exclude(status_changed_at=at, code__gte=code)
                         .order_by("-status_changed_at", "-code")[:QUEUE_PAGE_SIZE + 1])
    if len(rows) <= QUEUE_PAGE_SIZE:
        # Back at the start: the first page, full, as its own link shows it.
        rows = queue_rows_of(qs[:QUEUE_PAGE_SIZE + 1])
        return QueuePage(rows[:QUEUE_PAGE_SIZE], len(rows) > QUEUE_PAGE_SIZE, False,
                         min(total, COUNT_CAP), total > COUNT_CAP)
    return QueuePage(rows[:QUEUE_PAGE_SIZE][::-1], True, True,
                     min(total, COUNT_CAP), total > COUNT_CAP)
