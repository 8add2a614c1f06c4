"""What the run counts once everything has had its chance to recover.

Each finding has a time, so it can be put down to the fault whose window it fell in:
an email by its outbox row's creation, a file by its object's or row's time, a task by
when it was queued, a state problem by the audit event that shows it.
"""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from .mailbox import Mailbox

STUCK_AFTER = timedelta(minutes=1)
PAGE_IMAGE = re.compile(r"[1-9][0-9]*\.png")  # pages/<document code>/<page>.png


@dataclass
class Finding:
    kind: str  # lost, duplicated, orphaned, stuck, broken; redelivered (not a failure)
    at: float  # unix time
    what: str


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    facts: dict[str, object] = field(default_factory=dict)

    def add(self, kind: str, at, what: str) -> None:
        self.findings.append(Finding(kind, at.timestamp() if hasattr(at, "timestamp") else at,
                                     what))


def emails(report: Report, mailbox: Mailbox) -> None:
    """Every outbox row's message accepted once: none lost, none doubled.

    A message accepted again with the Message-ID of the first copy is *redelivered*,
    not duplicated: the same message, which a mail system and a reader recognise as
    such (the worker died after the server's 250 but before recording it). It is
    reported, not counted against the run; copies with another Message-ID are
    duplicates.
    """
    from verifikasi.notifications.models import OutboundEmail

    copies: dict[str, list[str]] = defaultdict(list)
    for mail in mailbox.scan():
        copies[mail.outbox_code].append(mail.message_id)
    rows = list(OutboundEmail.objects.values_list("code", "created_at", "status", "subject"))
    codes = {str(code) for code, *_ in rows}
    redelivered = 0
    for code, created, status, subject in rows:
        ids = copies.get(str(code), [])
        if not ids:
            report.add("lost", created, f"email not delivered ({status}): {subject[:60]}")
            continue
        first = ids[0]
        for extra in ids[1:]:
            if first and extra == first:
                redelivered += 1
                report.add("redelivered", created,
                           f"email delivered again, same Message-ID: {subject[:60]}")
            else:
                report.add("duplicated", created,
                           f"email delivered {len(ids)}×: {subject[:60]}")
    received = sum(len(ids) for ids in copies.values())
    strangers = sum(len(ids) for code, ids in copies.items() if code not in codes)
    report.facts["emails"] = (f"{len(rows)} meant to send (outbox rows), "
                              f"{received} accepted by SMTP"
                              + (f", {redelivered} of them redelivered with the same "
                                 f"Message-ID" if redelivered else "")
                              + (f", {strangers} without an outbox row" if strangers else ""))


def files(report: Report, s3, bucket: str) -> None:
    from verifikasi.certificates.models import Certificate
    from verifikasi.meetings.models import Recording
    from verifikasi.notifications.models import OutboundEmail
    from verifikasi.registrations.models import Document

    objects = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            objects[item["Key"]] = item
    expected: dict[str, tuple[object, str]] = {}
    documents = set()
    for code, name, thumb, at in Document.objects.values_list("code", "file", "thumbnail",
                                                               "uploaded_at"):
        documents.add(str(code))
        if name:
            expected[name] = (at, "document")
        if thumb:
            expected[thumb] = (at, "thumbnail")
    for name, at in Recording.objects.values_list("file", "created_at"):
        expected[name] = (at, "recording")
    for name, at in Certificate.objects.values_list("file", "issued_at"):
        expected[name] = (at, "certificate")
    for attachments, at in OutboundEmail.objects.values_list("attachments", "created_at"):
        for attachment in attachments or []:
            if attachment.get("path"):
                expected[attachment["path"]] = (at, "email attachment")
    for name, (at, kind) in expected.items():
        if name not in objects:
            report.add("lost", at, f"{kind} file missing from the store: {name}")
    pages = 0
    for name, item in objects.items():
        if name in expected:
            continue
        parts = name.split("/")
        if parts[0] == "pages" and len(parts) == 3 and parts[1] in documents and \
                PAGE_IMAGE.fullmatch(parts[2]):
            pages += 1  # a page image, rendered for the review screen
            continue
        report.add("orphaned", item["LastModified"], f"file in the store, in no row: {name}")
    kinds = Counter(kind for _at, kind in expected.values())
    sizes = Counter()
    for name, item in objects.items():
        kind = expected.get(name, (None, "page image" if name.startswith("pages/") else
                                   "other"))[1]
        sizes[kind] += item["Size"]
    report.facts["files"] = (f"{len(objects)} objects in the store; rows: "
                             + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
                             + f"; {pages} page images")
    report.facts["bytes"] = dict(sizes)


def lifecycle(report: Report) -> None:
    from verifikasi.core.models import AuditEvent
    from verifikasi.registrations import workflow
    from verifikasi.registrations.models import Registration, RegistrationStatus

    history = defaultdict(list)
    for event in AuditEvent.objects.filter(action__startswith="registration.").order_by("seq"):
        details = event.details or {}
        if "from" in details and "to" in details:
            history[event.object_id].append(event)
    bad = 0
    for registration in Registration.objects.all():
        state = RegistrationStatus.DRAFT
        events = history.get(str(registration.pk), []) or history.get(str(registration.code),
                                                                      [])
        for event in events:
            name = event.action.removeprefix("registration.")
            action = workflow.ACTIONS.get(name)
            source, target = event.details["from"], event.details["to"]
            allowed = action is not None and source in action.sources and (
                target in action.targets or (action.target is None and target == source))
            if source != state or not allowed:
                bad += 1
                report.add("broken", event.created_at,
                           f"{registration.code}: {name} {source}→{target} after {state}")
                break
            state = target
        else:
            if registration.status != state or registration.status not in \
                    RegistrationStatus.values:
                bad += 1
                report.add("broken", registration.status_changed_at,
                           f"{registration.code}: status {registration.status}, "
                           f"history says {state}")
    counts = Counter(Registration.objects.values_list("status", flat=True))
    report.facts["registrations"] = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))


def tasks(report: Report) -> None:
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    limit = timezone.now() - STUCK_AFTER
    for row in DBTaskResult.objects.filter(status="RUNNING", started_at__lte=limit):
        report.add("stuck", row.enqueued_at, f"task RUNNING since {row.started_at:%H:%M:%S}: "
                                             f"{row.task_path.rsplit('.', 1)[-1]}")
    for row in DBTaskResult.objects.filter(status="READY", run_after__lte=limit):
        report.add("stuck", row.enqueued_at, f"task READY since {row.run_after:%H:%M:%S}: "
                                             f"{row.task_path.rsplit('.', 1)[-1]}")
    failed = DBTaskResult.objects.filter(status="FAILED")
    for row in failed:
        report.add("broken", row.enqueued_at,
                   f"task FAILED: {row.task_path.rsplit('.', 1)[-1]}")
    counts = Counter(DBTaskResult.objects.values_list("status", flat=True))
    report.facts["tasks"] = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))


def certificates(report: Report) -> None:
    from verifikasi.certificates.models import Certificate, CertificateSequence

    by_year = defaultdict(list)
    for office, year, seq, at in Certificate.objects.values_list("office", "year", "seq",
                                                                 "issued_at"):
        by_year[(office, year)].append((seq, at))
    for sequence in CertificateSequence.objects.all():
        issued = by_year.get((sequence.office_id, sequence.year), [])
        seqs = Counter(seq for seq, _ in issued)
        for seq, n in seqs.items():
            if n > 1:
                report.add("broken", issued[0][1], f"certificate number {seq} given {n}×")
        gaps = set(range(1, sequence.last_value + 1)) - set(seqs)
        for seq in sorted(gaps):
            report.add("broken", max((at for _s, at in issued), default=0),
                       f"certificate number {seq} of {sequence.year} missing (a gap)")
    report.facts["certificates"] = f"{Certificate.objects.count()} issued"


def audit(report: Report, manage) -> None:
    import time

    result = manage("verify_audit", check=False)
    line = (result.stdout.strip() or result.stderr.strip()).splitlines()[-1:]
    report.facts["verify_audit"] = line[0] if line else "(no output)"
    if result.returncode != 0:
        report.add("broken", time.time(), f"verify_audit: {report.facts['verify_audit']}")

