"""The audit log: append-only, hash-chained (DESIGN: security baseline).

Every status change, every access to a document or recording and every
administrative act calls ``audit_log`` inside the same transaction as the act
itself, so the record and the act commit or roll back together.
"""

import hashlib
import json
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from verifikasi.accounts.client_ip import client_ip

from .models import AuditChainHead, AuditEvent

__all__ = ["audit_log", "audit_verify", "client_ip"]

GENESIS_HASH = "0" * 64


def _canonical(event: AuditEvent) -> bytes:
    payload = {
        "seq": event.seq,
        "created_at": event.created_at.isoformat(),
        "actor_id": event.actor_id,
        "actor_email": event.actor_email,
        "actor_role": event.actor_role,
        "office_id": event.office_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "ip": event.ip,
        "details": event.details,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode()


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event)).hexdigest()


def audit_log(
    *,
    action: str,
    actor=None,
    office=None,
    obj=None,
    object_type: str = "",
    object_id: str = "",
    request=None,
    details: dict | None = None,
) -> AuditEvent:
    """Append one event to the chain.

    ``obj`` may be any model instance; its model name and its public code (or
    pk) identify it. Must be called inside the caller's transaction when it
    records a change; it opens its own atomic block otherwise.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(getattr(obj, "code", None) or obj.pk)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    with transaction.atomic():
        # The UPDATE takes the row lock first (on SQLite the write lock), so
        # concurrent writers line up instead of both extending the same tip.
        # The head row is created by the core app's first migration.
        AuditChainHead.objects.filter(pk=1).update(seq=F("seq") + 1)
        head = AuditChainHead.objects.get(pk=1)
        event = AuditEvent(
            seq=head.seq,
            created_at=timezone.now(),
            actor=actor,
            actor_email=getattr(actor, "email", "") or "",
            actor_role=getattr(actor, "role", "") or "",
            office=office,
            action=action,
            object_type=object_type,
            object_id=object_id,
            ip=client_ip(request),
            details=json.loads(json.dumps(details or {}, default=str)),
            prev_hash=head.hash,
        )
        event.hash = compute_hash(event)
        event.save(force_insert=True)
        AuditChainHead.objects.filter(pk=1).update(hash=event.hash)
    return event


@dataclass
class ChainReport:
    ok: bool
    checked: int
    message: str


def audit_verify() -> ChainReport:
    """Walk the chain in order and report the first broken link."""
    prev_hash = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if event.seq != expected_seq:
            return ChainReport(
                False, checked, f"event #{expected_seq} is missing (next found is #{event.seq})"
            )
        if event.prev_hash != prev_hash:
            return ChainReport(
                False, checked, f"event #{event.seq} does not link to the event before it"
            )
        if compute_hash(event) != event.hash:
            return ChainReport(
                False, checked, f"event #{event.seq} was altered after it was written"
            )
        prev_hash = event.hash
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    if head_seq != checked or head_hash != prev_hash:
        return ChainReport(
            False,
            checked,
            f"the chain ends at #{checked} but its head records #{head_seq}: "
            "events at the end were removed",
        )
    return ChainReport(True, checked, f"OK: {checked} events, chain intact")
