"""The audit log: append-only, hash-chained (DESIGN: security baseline).

Every status change, every access to a document or recording and every
administrative act calls ``audit_log`` inside the same transaction as the act
itself, so the record and the act commit or roll back together.

Each link is an HMAC-SHA-256 keyed with ``settings.AUDIT_HMAC_KEY``, which is
not in the database (issue 13): whoever can write to the database can still not
rewrite the rows and recompute a chain that ``verify_audit`` accepts. The daily
anchor (core/anchors.py) covers the case where the key itself leaked.

Personal fields (the client's IP address) are kept only for their retention
period (core/retention_policy.py). So that removing them does not break the
chain, an event links a salted digest of them instead of the fields ("v": 2):
``audit_redact_personal`` deletes the fields and the salt, and the digest left
behind reveals nothing and still verifies. Events written before the digest
(no ``personal_digest``) link the IP itself; removing it leaves a keyed seal
over what remains and the unchanged link, so the link, the chain order and
every anchor taken before stay as they were.
"""

import functools
import hashlib
import hmac
import json
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from verifikasi.accounts.client_ip import client_ip

from .models import AuditChainHead, AuditEvent

__all__ = ["audit_log", "audit_verify", "client_ip"]

logger = logging.getLogger(__name__)

GENESIS_HASH = "0" * 64
# The digest linked for an event whose personal fields were removed before it had one
# (set only when ``audit_rechain`` re-links such an event).
REDACTED_DIGEST = hashlib.sha256(b"verifikasi-audit:personal-fields-removed").hexdigest()


def _personal(event: AuditEvent) -> bytes:
    return json.dumps({"ip": event.ip}, sort_keys=True, separators=(",", ":")).encode()


def personal_digest(event: AuditEvent, salt: str) -> str:
    """What the chain links instead of the personal fields: SHA-256 of a random salt and them.

    The salt is deleted with the fields, so the digest left behind cannot be
    matched against guessed IP addresses.
    """
    return hashlib.sha256(salt.encode() + b":" + _personal(event)).hexdigest()


def _canonical(event: AuditEvent) -> bytes:
    digest = getattr(event, "personal_digest", "")
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
        "details": event.details,
        "prev_hash": event.prev_hash,
    }
    if digest:
        payload.update(v=2, personal=digest)
    else:  # an event written before the digest: the IP itself is linked
        payload["ip"] = event.ip
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode()


def _secret(key: str | None) -> bytes:
    return (key if key is not None else settings.AUDIT_HMAC_KEY).encode()


def _seal(event: AuditEvent, secret: bytes) -> str:
    return hmac.new(secret, b"redacted:" + _canonical(event) + b":" + event.hash.encode(),
                    hashlib.sha256).hexdigest()


def compute_hash(event: AuditEvent, *, key: str | None = None) -> str:
    """The event's link: HMAC-SHA-256 of its content and the previous link.

    For a stored event whose personal fields were removed or whose fields no
    longer match their digest, this is what the event must hold to be intact:
    its own link when the redaction seal holds, nothing when it was altered.
    """
    secret = _secret(key)
    if getattr(event, "redaction_seal", ""):  # an old event whose IP was removed
        sealed = hmac.compare_digest(_seal(event, secret), event.redaction_seal)
        return event.hash if sealed else ""
    digest = getattr(event, "personal_digest", "")
    if digest:
        salt = getattr(event, "personal_salt", "")
        intact = (personal_digest(event, salt) == digest if salt
                  else event.ip is None and event.redacted_at is not None)
        if not intact:
            return ""
    return hmac.new(secret, _canonical(event), hashlib.sha256).hexdigest()


def legacy_hash(event: AuditEvent) -> str:
    """The plain SHA-256 link of chains written before the key (rechain only)."""
    return hashlib.sha256(_canonical(event)).hexdigest()


@functools.cache
def _head_sql(template: str, vendor: str) -> str:
    meta = AuditChainHead._meta
    quote = connection.ops.quote_name
    return template.format(table=quote(meta.db_table), id=quote(meta.pk.column),
                           seq=quote(meta.get_field("seq").column),
                           hash=quote(meta.get_field("hash").column))


def _take_tip() -> tuple[int, str]:
    """The next event's number and the link it extends, in one statement: the UPDATE takes
    the head's row lock first (on SQLite the write lock), so concurrent writers line up
    instead of both extending the same tip. The head row is created by the core app's
    first migration."""
    with connection.cursor() as cursor:
        cursor.execute(_head_sql("UPDATE {table} SET {seq} = {seq} + 1 WHERE {id} = 1 "
                                 "RETURNING {seq}, {hash}", connection.vendor))
        row = cursor.fetchone()
    if row is None:
        raise AuditChainHead.DoesNotExist("the audit chain's head row is missing")
    return int(row[0]), row[1]


def _set_tip_hash(link: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(_head_sql("UPDATE {table} SET {hash} = %s WHERE {id} = 1",
                                 connection.vendor), [link])


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
    at=None,
) -> AuditEvent:
    """Append one event to the chain.

    ``obj`` may be any model instance; its model name and its public code (or
    pk) identify it. Must be called inside the caller's transaction when it
    records a change; it opens its own atomic block otherwise. ``at`` dates an
    event that happened earlier (the demo's history); the chain's order stays
    the order of writing.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(getattr(obj, "code", None) or obj.pk)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    # No savepoint of its own: the event commits or rolls back with the caller's act, never
    # without it (a caller that caught an error here could otherwise commit the act alone).
    with transaction.atomic(savepoint=False):
        seq, prev_hash = _take_tip()
        event = AuditEvent(
            seq=seq,
            created_at=(at or timezone.now()).astimezone(UTC),
            actor=actor,
            actor_email=getattr(actor, "email", "") or "",
            actor_role=getattr(actor, "role", "") or "",
            office=office,
            action=action,
            object_type=object_type,
            object_id=object_id,
            ip=client_ip(request),
            details=json.loads(json.dumps(details or {}, default=str)),
            prev_hash=prev_hash,
            personal_salt=secrets.token_hex(16),
        )
        event.personal_digest = personal_digest(event, event.personal_salt)
        event.hash = compute_hash(event)
        event.save(force_insert=True)
        _set_tip_hash(event.hash)
    return event


def audit_log_history(entries: list[dict]) -> int:
    """Append many dated events at once (the demo's history): ``entries`` are
    ``audit_log``'s keyword arguments (``at`` required, no ``request``). One lock on
    the chain's head, one bulk insert; the links are the same as ``audit_log``'s."""
    with transaction.atomic():
        AuditChainHead.objects.filter(pk=1).update(seq=F("seq"))  # lock the tip
        head = AuditChainHead.objects.get(pk=1)
        seq, prev_hash, events = head.seq, head.hash, []
        for entry in entries:
            obj, actor = entry.get("obj"), entry.get("actor")
            seq += 1
            event = AuditEvent(
                # In UTC, as read back from the database: the link covers its ISO form.
            seq=seq, created_at=entry["at"].astimezone(UTC), actor=actor,
                actor_email=getattr(actor, "email", "") or "",
                actor_role=getattr(actor, "role", "") or "",
                office=entry.get("office"), action=entry["action"],
                object_type=entry.get("object_type") or (
                    obj._meta.label_lower if obj is not None else ""),
                object_id=entry.get("object_id") or (
                    str(getattr(obj, "code", None) or obj.pk) if obj is not None else ""),
                ip=None, details=json.loads(json.dumps(entry.get("details") or {}, default=str)),
                prev_hash=prev_hash, personal_salt=secrets.token_hex(16),
            )
            event.personal_digest = personal_digest(event, event.personal_salt)
            event.hash = prev_hash = compute_hash(event)
            events.append(event)
        AuditEvent.objects.bulk_create(events, batch_size=500)
        AuditChainHead.objects.filter(pk=1).update(seq=seq, hash=prev_hash)
    return len(events)


@dataclass
class ChainReport:
    ok: bool
    checked: int
    message: str


def audit_verify(*, hash_fn: Callable | None = None, events=None, head=None) -> ChainReport:
    """Walk the chain in order and report the first broken link.

    ``hash_fn``, ``events`` and ``head`` default to the keyed link and the live
    tables; ``audit_rechain`` passes the old scheme and a migration's models.
    """
    hash_fn = hash_fn or compute_hash
    events = AuditEvent.objects if events is None else events
    prev_hash = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for event in events.order_by("seq").iterator(chunk_size=2000):
        if event.seq != expected_seq:
            return ChainReport(
                False, checked, f"event #{expected_seq} is missing (next found is #{event.seq})"
            )
        if event.prev_hash != prev_hash:
            return ChainReport(
                False, checked, f"event #{event.seq} does not link to the event before it"
            )
        if not hmac.compare_digest(hash_fn(event).encode(), (event.hash or "").encode()):
            return ChainReport(
                False, checked, f"event #{event.seq} was altered after it was written"
            )
        prev_hash = event.hash
        expected_seq += 1
        checked += 1
    head = (AuditChainHead.objects if head is None else head).filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    if head_seq != checked or head_hash != prev_hash:
        return ChainReport(
            False,
            checked,
            f"the chain ends at #{checked} but its head records #{head_seq}: "
            "events at the end were removed",
        )
    return ChainReport(True, checked, f"OK: {checked} events, chain intact")


class RechainRefused(Exception):
    pass


def audit_rechain(*, old_hash_fn: Callable, events=None, head=None) -> int:
    """Re-link every event with the current key, once the old chain is proven intact.

    The upgrade path for chains written before the key (plain SHA-256, see the
    core migration that calls this) and for replacing a leaked AUDIT_HMAC_KEY
    (``manage.py audit_rechain --old-key-file``). A chain that does not verify
    under its old scheme is refused, never re-blessed. Returns the event count.
    """
    events = AuditEvent.objects if events is None else events
    head = AuditChainHead.objects if head is None else head
    with transaction.atomic():
        head.filter(pk=1).update(seq=F("seq"))  # lock the tip: no writer in between
        report = audit_verify(hash_fn=old_hash_fn, events=events, head=head)
        if not report.ok:
            raise RechainRefused(report.message)
        prev_hash = GENESIS_HASH
        count = 0
        upgrade = hasattr(events.model, "personal_digest")  # not in older migrations' models
        for event in events.order_by("seq").iterator(chunk_size=2000):
            event.prev_hash = prev_hash
            personal = {}
            if upgrade and not event.personal_digest:
                # Re-linked anyway: the old event now links a digest too.
                salt = "" if event.redaction_seal else secrets.token_hex(16)
                event.personal_salt, event.redaction_seal = salt, ""
                event.personal_digest = (personal_digest(event, salt) if salt
                                         else REDACTED_DIGEST)
                personal = {"personal_salt": salt, "personal_digest": event.personal_digest,
                            "redaction_seal": ""}
            event.hash = compute_hash(event)
            events.filter(pk=event.pk).update(prev_hash=event.prev_hash, hash=event.hash,
                                              **personal)
            prev_hash = event.hash
            count += 1
        head.filter(pk=1).update(hash=prev_hash)
    return count


def audit_redact_personal(events, *, now) -> int:
    """Remove the personal fields (IP) of ``events`` (a queryset), keeping the chain verifiable.

    An event whose content no longer matches its link is left as it is (and
    logged): removing its IP would hide that it was altered. Returns the count.
    """
    count = 0
    secret = _secret(None)
    for event in events.filter(ip__isnull=False).order_by("seq").iterator(chunk_size=1000):
        if not hmac.compare_digest(compute_hash(event).encode(), event.hash.encode()):
            logger.error("audit event #%s does not verify; its IP is kept", event.seq)
            continue
        event.ip, event.personal_salt, event.redacted_at = None, "", now
        fields = {"ip": None, "personal_salt": "", "redacted_at": now}
        if not event.personal_digest:
            event.redaction_seal = fields["redaction_seal"] = _seal(event, secret)
        AuditEvent.objects.filter(pk=event.pk, hash=event.hash).update(**fields)
        count += 1
    return count
