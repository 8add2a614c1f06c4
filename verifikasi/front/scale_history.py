"""The history of the national-scale seed: the audit events each registration's
lifecycle would have written (submit, then the step that led to its status), appended
to the real hash chain so that ``manage.py verify_audit`` still accepts it.

The chain is sequential (each link covers the one before), so PostgreSQL orders the
events and Python computes each link with core.audit's own function, streaming them
back with COPY in batches.
"""

# ruff: noqa: S608 -- the SQL is built from table names (_meta.db_table) and constants;
# every value goes in as a query parameter.

import hashlib
import hmac
import json
from datetime import datetime

from django.conf import settings
from django.db import connection

from verifikasi.accounts.models import User
from verifikasi.core.audit import compute_hash
from verifikasi.core.models import AuditChainHead, AuditEvent
from verifikasi.registrations.models import Registration

# The action that led to each status, the status it left, and who did it.
LAST_STEP = {
    "revision_requested": ("request_revision", "submitted", "verifier"),
    "documents_accepted": ("accept_documents", "submitted", "verifier"),
    "scheduled": ("confirm_schedule", "documents_accepted", "verifier"),
    "verified": ("record_pass", "scheduled", "verifier"),
    "certificate_sent": ("issue_certificate", "verified", "system"),
    "completed": ("confirm_receipt", "certificate_sent", "vendor"),
    "withdrawn": ("withdraw", "submitted", "vendor"),
    "rejected": ("reject", "submitted", "verifier"),
    "lapsed": ("lapse", "revision_requested", "system"),
}
COLUMNS = ("seq", "created_at", "actor_id", "actor_email", "actor_role", "office_id",
           "action", "object_type", "object_id", "ip", "details", "prev_hash", "hash")
BATCH = 50_000
# created_at as Python's isoformat() writes it (no fraction when it is zero), in UTC.
ISOFORMAT = """to_char({at} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
    || CASE WHEN extract(microseconds FROM {at})::int %% 1000000 = 0 THEN ''
            ELSE to_char({at} AT TIME ZONE 'UTC', '.US') END || '+00:00'"""


def _canonical(seq, at, actor_id, email, role, office_id, action, object_id, details,
               prev_hash) -> bytes:
    """core.audit's canonical JSON of an event, written out for the seed's plain ASCII
    values (about 5× faster than json.dumps; every batch is checked against it)."""
    return (f'{{"action":"{action}","actor_email":"{email}","actor_id":{actor_id},'
            f'"actor_role":"{role}","created_at":"{at}","details":{details},"ip":null,'
            f'"object_id":"{object_id}","object_type":"{OBJECT_TYPE}",'
            f'"office_id":{office_id},"prev_hash":"{prev_hash}","seq":{seq}}}').encode()


OBJECT_TYPE = Registration._meta.label_lower


class _Event:
    """What compute_hash reads from an AuditEvent, to check the fast canonical form."""

    def __init__(self, **values):
        self.__dict__.update(values)


def _events_sql(first_registration_id: int) -> tuple[str, dict]:
    steps = " ".join(f"WHEN '{status}' THEN '{action}'"
                     for status, (action, _, _) in LAST_STEP.items())
    sources = " ".join(f"WHEN '{status}' THEN '{source}'"
                       for status, (_, source, _) in LAST_STEP.items())
    actors = " ".join(
        f"WHEN '{status}' THEN "
        + {"verifier": "r.assigned_to_id", "vendor": "r.vendor_id", "system": "NULL"}[who]
        for status, (_, _, who) in LAST_STEP.items())
    sql = f"""
        SELECT {ISOFORMAT.format(at="e.at")}, e.office_id, e.action, e.code::text,
               e.source, e.target, coalesce(u.id::text, 'null'), coalesce(u.email, ''),
               coalesce(u.role, '')
        FROM (
            SELECT r.submitted_at AS at, r.id, 1 AS n, r.office_id, 'submit' AS action,
                   r.code, 'draft' AS source, 'submitted' AS target, r.vendor_id AS actor
            FROM {Registration._meta.db_table} r
            WHERE r.id >= %(first)s AND r.status <> 'draft'
            UNION ALL
            SELECT r.status_changed_at, r.id, 2, r.office_id, CASE r.status {steps} END,
                   r.code, CASE r.status {sources} END, r.status,
                   CASE r.status {actors} END
            FROM {Registration._meta.db_table} r
            WHERE r.id >= %(first)s AND r.status NOT IN ('draft', 'submitted')
        ) AS e
        LEFT JOIN {User._meta.db_table} u ON u.id = e.actor
        ORDER BY e.at, e.id, e.n"""
    return sql, {"first": first_registration_id}


def scale_history(*, first_registration_id: int) -> int:
    """Append the seeded registrations' events to the audit chain (inside the caller's
    transaction, holding the chain head's lock); returns how many were written."""
    raw = connection.connection  # psycopg: a named cursor and COPY in one transaction
    key = settings.AUDIT_HMAC_KEY.encode()
    head = AuditChainHead.objects.select_for_update().get(pk=1)
    seq, prev_hash = head.seq, head.hash
    sql, params = _events_sql(first_registration_id)
    # Seeded events are of the older form (no IP, so no personal digest): the blank
    # personal columns are written as the model's blank defaults.
    blanks = ("personal_salt", "personal_digest", "redaction_seal")
    copy_sql = (f"COPY {AuditEvent._meta.db_table} ({', '.join(COLUMNS + blanks)}) "
                "FROM STDIN")
    with raw.cursor(name="scale_history") as events:
        events.execute(sql, params)
        while rows := events.fetchmany(BATCH):
            lines = []
            for at, office_id, action, code, source, target, actor_id, email, role in rows:
                seq += 1
                action = f"registration.{action}"
                details = f'{{"from":"{source}","to":"{target}"}}'
                link = hmac.new(key, _canonical(seq, at, actor_id, email, role, office_id,
                                                action, code, details, prev_hash),
                                hashlib.sha256).hexdigest()
                actor = "\\N" if actor_id == "null" else actor_id
                lines.append(f"{seq}\t{at}\t{actor}\t{email}\t{role}\t{office_id}\t{action}"
                             f"\t{OBJECT_TYPE}\t{code}\t\\N\t{details}\t{prev_hash}\t{link}\n")
                prev_hash = link
            _check(lines[-1])
            with raw.cursor() as cursor, cursor.copy(copy_sql) as copy:
                copy.write("".join(line[:-1] + "\t\t\t\n" for line in lines))
    written = seq - head.seq
    AuditChainHead.objects.filter(pk=1).update(seq=seq, hash=prev_hash)
    return written


def _check(line: str) -> None:
    """The batch's last link, recomputed by core.audit itself from the values parsed back
    (a changed AuditEvent field or format stops the seed instead of breaking the chain)."""
    (seq, at, actor, email, role, office_id, action, object_type, object_id, _, details,
     prev_hash, link) = line.rstrip("\n").split("\t")
    event = _Event(seq=int(seq), created_at=datetime.fromisoformat(at),
                   actor_id=None if actor == "\\N" else int(actor), actor_email=email,
                   actor_role=role, office_id=int(office_id), action=action,
                   object_type=object_type, object_id=object_id, ip=None,
                   details=json.loads(details), prev_hash=prev_hash)
    if compute_hash(event) != link:
        raise RuntimeError(f"seed_scale: audit event #{seq} would not verify; "
                           "core.audit's canonical form changed, update scale_history.py")
