"""The national-scale seed's steps and the order they wait for each other (manage.py
seed_scale runs them with scale_pool on a connection per CPU):

    setup (one transaction: marker, indexes dropped, offices, staff, ids reserved)
      → vendors ×jobs, registrations ×jobs   (id ranges, at the same time)
      → documents ×jobs (each after its registrations), history (after all of them)
      → each dropped index rebuilt after the rows of its table, then its table's
        unique constraints attached and VACUUM ANALYZE.
"""

import json
import secrets
from dataclasses import dataclass, field

from allauth.mfa.utils import encrypt
from django.contrib.auth.hashers import make_password

from verifikasi.accounts.models import User
from verifikasi.core.models import AuditEvent
from verifikasi.registrations.models import Document, Registration

from . import scale_load, scale_seed
from .scale_history import History
from .scale_pool import Task

# Documents and events per registration, roughly, to weigh the steps.
DOCUMENTS_EACH, EVENTS_EACH = 4, 1.75


@dataclass
class Plan:
    registrations: int
    offices: int
    now: object
    staff_password: str
    totp_secret: str
    jobs: int = 2
    vacuum: bool = True
    sizes: list[int] = field(init=False)
    vendors: int = field(init=False)
    salt: int = field(init=False)
    staff: int = 0
    vendor_base: int = 0
    registration_base: int = 0
    state: dict = field(default_factory=dict)
    documents: dict[str, int] = field(default_factory=dict)
    history: History | None = None

    def __post_init__(self):
        self.sizes = scale_seed.office_sizes(self.registrations, self.offices)
        self.vendors = max(1, self.registrations * 9 // 10)  # some register more than once
        self.salt = secrets.randbits(40)  # the codes' hashes: new ones on every run

    @property
    def first_registration_id(self) -> int:
        return self.registration_base + 1


def setup(cursor, plan: Plan) -> None:
    """The first step, one transaction: the marker and the dropped indexes
    (scale_load.prepare), the offices with Lampiran 1, their staff, and the ids the
    vendors and registrations will take."""
    plan.state = scale_load.prepare(cursor)
    scale_seed.write_offices(cursor, plan.sizes, plan.now)
    plan.staff = scale_seed.write_staff(cursor, plan.now, make_password(plan.staff_password),
                                        json.dumps({"secret": encrypt(plan.totp_secret)}))
    plan.vendor_base = scale_seed.reserve_ids(cursor, User, plan.vendors)
    plan.registration_base = scale_seed.reserve_ids(cursor, Registration, plan.registrations)
    plan.history = History(plan.first_registration_id)


def _ranges(count: int, parts: int) -> list[tuple[int, int]]:
    """1 … count in ``parts`` consecutive ranges of (almost) equal size."""
    parts = max(1, min(parts, count))
    edges = [count * k // parts for k in range(parts + 1)]
    return [(edges[k] + 1, edges[k + 1]) for k in range(parts)]


def tasks(plan: Plan) -> list[Task]:
    """Every step after setup (which must have run: the ranges start at its bases)."""
    million = 1e6
    vendors, registrations, documents = [], [], []
    for n, (lo, hi) in enumerate(_ranges(plan.vendors, plan.jobs)):
        def write_vendors(cursor, lo=lo, hi=hi):
            scale_seed.write_vendors(cursor, lo, hi, base=plan.vendor_base, now=plan.now,
                                     salt=plan.salt)
        vendors.append(Task(f"vendors:{n}", write_vendors, cost=7 * (hi - lo + 1) / million))
    for n, (lo, hi) in enumerate(_ranges(plan.registrations, plan.jobs)):
        def write_registrations(cursor, lo=lo, hi=hi):
            scale_seed.write_registrations(
                cursor, lo, hi, base=plan.registration_base, now=plan.now,
                vendor_base=plan.vendor_base, vendors=plan.vendors, salt=plan.salt + 2)
        registrations.append(Task(f"registrations:{n}", write_registrations,
                                  cost=26 * (hi - lo + 1) / million))

        def write_documents(cursor, lo=lo, hi=hi, n=n):
            base = plan.registration_base
            scale_seed.write_documents(cursor, base + lo, base + hi, salt=plan.salt + 4)
            plan.documents[f"documents:{n}"] = cursor.rowcount
        documents.append(Task(f"documents:{n}", write_documents, (f"registrations:{n}",),
                              cost=34 * (hi - lo + 1) / million))
    history = Task("history", lambda cursor: plan.history.run(cursor),
                   tuple(t.name for t in vendors + registrations),
                   cost=25 * plan.registrations / million)
    steps = vendors + registrations + documents + [history]
    loaded = {
        User._meta.db_table: tuple(t.name for t in vendors),
        Registration._meta.db_table: tuple(t.name for t in registrations),
        Document._meta.db_table: tuple(t.name for t in documents),
        AuditEvent._meta.db_table: ("history",),
    }
    rows = {
        User._meta.db_table: plan.vendors,
        Registration._meta.db_table: plan.registrations,
        Document._meta.db_table: plan.registrations * DOCUMENTS_EACH,
        AuditEvent._meta.db_table: plan.registrations * EVENTS_EACH,
    }
    rebuild = scale_load.rebuild_tasks(plan.state, loaded, rows)
    if not plan.vacuum:
        rebuild = [task for task in rebuild if not task.name.startswith("vacuum:")]
    return steps + rebuild
