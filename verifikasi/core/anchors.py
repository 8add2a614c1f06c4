"""Daily anchors of the audit chain (issue 13: evidence that cannot be quietly rewritten).

An anchor is one line: the time, the number of events and the head's hash.
Copies kept outside the database (emailed to each office's coordinator and
appended to AUDIT_ANCHOR_FILE) let ``verify_audit --anchor`` prove that
history up to that point was not rewritten, even by someone who had the HMAC
key: any changed event changes every later link, and so the anchored head.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .audit import GENESIS_HASH, ChainReport, audit_verify
from .models import AuditAnchor, AuditChainHead, AuditEvent

ANCHOR_RE = re.compile(r"count=(?P<count>\d+)\s+head=(?P<head>[0-9a-f]{64})")


@dataclass(frozen=True)
class Anchor:
    count: int
    head: str
    at: str = ""

    def line(self) -> str:
        return f"verifikasi-audit-anchor {self.at} count={self.count} head={self.head}"


def anchor_parse(text: str) -> list[Anchor]:
    """Every anchor in ``text`` (a file's content, an email body or one value)."""
    anchors = []
    for line in text.splitlines() or [text]:
        match = ANCHOR_RE.search(line)
        if match:
            at = line[:match.start()].replace("verifikasi-audit-anchor", "").strip()
            anchors.append(Anchor(int(match["count"]), match["head"], at))
    return anchors


def anchor_current(now: datetime | None = None) -> Anchor:
    head = AuditChainHead.objects.filter(pk=1).first()
    count, head_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    at = timezone.localtime(now or timezone.now()).isoformat(timespec="seconds")
    return Anchor(count, head_hash, at)


def audit_check_anchor(anchor: Anchor) -> ChainReport:
    """The chain is intact and still holds, at the anchored position, the anchored head."""
    report = audit_verify()
    if not report.ok:
        return report
    if anchor.count == 0:
        return ChainReport(True, report.checked, f"{report.message}; anchor (empty chain) holds")
    if anchor.count > report.checked:
        return ChainReport(False, report.checked, (
            f"the chain ends at #{report.checked}, before the anchor {anchor.at} "
            f"(#{anchor.count}): events were removed, or this database is older than the anchor "
            "(after a restore, check against the last anchor taken before the backup)"))
    event = AuditEvent.objects.filter(seq=anchor.count).only("hash").first()
    if event is None or event.hash != anchor.head:
        return ChainReport(False, report.checked, (
            f"event #{anchor.count} no longer has the anchored head {anchor.head[:12]}… "
            f"({anchor.at}): history up to it was rewritten"))
    return ChainReport(True, report.checked,
                       f"{report.message}; anchor {anchor.at} (#{anchor.count}) holds")


def anchor_file() -> Path:
    return Path(settings.AUDIT_ANCHOR_FILE)


def audit_anchor_take(*, now: datetime | None = None) -> Anchor | None:
    """Take today's anchor (office time) once: record it and append it to the file.

    Run inside the caller's transaction, which also queues the emails: if
    anything fails the day's row rolls back and the next upkeep tries again
    (the file may then hold one extra line, itself a true anchor). Returns None
    when today's anchor already exists.
    """
    now = now or timezone.now()
    day = timezone.localdate(now)
    if AuditAnchor.objects.filter(day=day).exists():
        return None
    anchor = anchor_current(now)
    try:
        with transaction.atomic():
            AuditAnchor.objects.create(day=day, seq=anchor.count, hash=anchor.head,
                                       created_at=now)
    except IntegrityError:  # another worker took it first
        return None
    path = anchor_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        f.write(anchor.line() + "\n")
    return anchor
