"""The history of the national-scale seed: the audit events each registration's
lifecycle would have written (submit, then the step that led to its status), appended
to the real hash chain so that ``manage.py verify_audit`` still accepts it.

The chain is sequential (each link covers the one before), so PostgreSQL orders the
events (COPY to a temporary file) and a Python thread computes each link, in core.audit's
canonical form, while the same connection's COPY writes the batches already linked (and
the load's other connections write the documents). Computing them in SQL (pgcrypto's
hmac() in a PL/pgSQL loop) would need the extension in the app's database and would still
be one sequential loop, on the server's CPU instead of this one.
"""

# ruff: noqa: S608 -- the SQL is built from table names (_meta.db_table), constants and
# an integer id; nothing else goes into it.

import hashlib
import json
import queue
import tempfile
import threading
import time
from datetime import datetime
from itertools import islice
from pathlib import Path

from django.conf import settings

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
    || CASE WHEN extract(microseconds FROM {at})::int % 1000000 = 0 THEN ''
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


def _events_sql(first_registration_id: int) -> str:
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
            WHERE r.id >= {first_registration_id} AND r.status <> 'draft'
            UNION ALL
            SELECT r.status_changed_at, r.id, 2, r.office_id, CASE r.status {steps} END,
                   r.code, CASE r.status {sources} END, r.status,
                   CASE r.status {actors} END
            FROM {Registration._meta.db_table} r
            WHERE r.id >= {first_registration_id} AND r.status NOT IN ('draft', 'submitted')
        ) AS e
        LEFT JOIN {User._meta.db_table} u ON u.id = e.actor
        ORDER BY e.at, e.id, e.n"""
    return sql


class History:
    """Append the seeded registrations' events to the audit chain: ``run(cursor)``, a
    step of the load, locks the chain's head, exports the events (PostgreSQL sorts
    them), and while a Python thread links them, writes each batch of links with COPY
    as it comes (PostgreSQL parses one batch while Python links the next); then moves
    the head, all in the step's one transaction. ``events`` is how many."""

    def __init__(self, first_registration_id: int):
        self.first = int(first_registration_id)
        self.events = 0
        self.seconds = {"export": 0.0, "chain": 0.0, "copy": 0.0}

    def run(self, cursor) -> None:
        head = AuditChainHead._meta.db_table
        cursor.execute(f"SELECT seq, hash FROM {head} WHERE id = 1 FOR UPDATE")
        seq, prev_hash = cursor.fetchone()
        with tempfile.TemporaryDirectory(prefix="seed_scale-") as folder:
            events = Path(folder, "events")
            started = time.perf_counter()
            with events.open("wb") as out, \
                    cursor.copy(f"COPY ({_events_sql(self.first)}) TO STDOUT") as copy:
                for block in copy:
                    out.write(block)
            self.seconds["export"] = time.perf_counter() - started
            started = time.perf_counter()
            chain = _Chain(events, settings.AUDIT_HMAC_KEY.encode(), seq, prev_hash)
            chain.start()
            try:
                self._copy_in(cursor, chain)
            finally:
                chain.stop.set()  # a failure here: the thread stops at its next batch
                chain.join()
            if chain.error is not None:
                raise chain.error
            self.seconds["chain"] = chain.seconds
            self.seconds["copy"] = time.perf_counter() - started
        self.events = chain.seq - seq
        cursor.execute(f"UPDATE {head} SET seq = %s, hash = %s WHERE id = 1",
                       [chain.seq, chain.prev_hash])

    @staticmethod
    def _copy_in(cursor, chain: "_Chain") -> None:
        # Seeded events are of the older form (no IP, so no personal digest): the blank
        # personal columns are written as the model's blank defaults.
        blanks = ("personal_salt", "personal_digest", "redaction_seal")
        copy_sql = (f"COPY {AuditEvent._meta.db_table} ({', '.join(COLUMNS + blanks)}) "
                    "FROM STDIN")
        with cursor.copy(copy_sql) as copy:
            while (block := chain.batches.get()) is not None:
                copy.write(block)
            if chain.error is not None:
                raise chain.error  # COPY ends with an error: nothing of it is kept


class _Chain(threading.Thread):
    """Each event's link, in order, from the exported rows to COPY's text format, a batch
    at a time into ``batches`` (None at the end); CPU in Python while the caller's
    thread waits for PostgreSQL without holding the GIL."""

    def __init__(self, events: Path, key: bytes, seq: int, prev_hash: str):
        super().__init__(name="seed_scale-chain", daemon=True)
        self.events, self.sign = events, _hmac_sha256(key)
        self.seq, self.prev_hash = seq, prev_hash
        self.batches: queue.Queue = queue.Queue(maxsize=4)
        self.stop, self.error, self.seconds = threading.Event(), None, 0.0

    def run(self):
        started = time.process_time()
        try:
            with self.events.open() as rows:
                while not self.stop.is_set():
                    batch = list(islice(rows, BATCH))
                    if not batch:
                        break
                    self._put(self._link(batch))
        except Exception as error:  # raised again by the caller  # noqa: BLE001
            self.error = error
        self.seconds = time.process_time() - started  # this thread's CPU time
        self._put(None)

    def _put(self, item) -> None:
        while not self.stop.is_set():  # the caller may have stopped reading
            try:
                self.batches.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def _link(self, batch: list[str]) -> str:
        sign, seq, prev_hash, lines = self.sign, self.seq, self.prev_hash, []
        for row in batch:
            at, office_id, action, code, source, target, actor_id, email, role = \
                row.rstrip("\n").split("\t")
            seq += 1
            action = f"registration.{action}"
            details = f'{{"from":"{source}","to":"{target}"}}'
            link = sign(_canonical(seq, at, actor_id, email, role, office_id, action, code,
                                   details, prev_hash))
            actor = "\\N" if actor_id == "null" else actor_id
            lines.append(f"{seq}\t{at}\t{actor}\t{email}\t{role}\t{office_id}\t{action}"
                         f"\t{OBJECT_TYPE}\t{code}\t\\N\t{details}\t{prev_hash}\t{link}"
                         "\t\t\t\n")
            prev_hash = link
        _check(lines[-1])
        self.seq, self.prev_hash = seq, prev_hash
        return "".join(lines)


def _hmac_sha256(key: bytes):
    """HMAC-SHA256 (RFC 2104) with the key's padded halves hashed once: a copy of each per
    link costs 2.5× less than hmac.new() (1.75 million links); _check() compares a link
    of every batch with core.audit's own."""
    if len(key) > 64:
        key = hashlib.sha256(key).digest()
    key = key.ljust(64, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))

    def sign(message: bytes) -> str:
        digest = inner.copy()
        digest.update(message)
        result = outer.copy()
        result.update(digest.digest())
        return result.hexdigest()
    return sign


def _check(line: str) -> None:
    """The batch's last link, recomputed by core.audit itself from the values parsed back
    (a changed AuditEvent field or format stops the seed instead of breaking the chain)."""
    (seq, at, actor, email, role, office_id, action, object_type, object_id, _, details,
     prev_hash, link) = line.rstrip("\n").split("\t")[:13]
    event = _Event(seq=int(seq), created_at=datetime.fromisoformat(at),
                   actor_id=None if actor == "\\N" else int(actor), actor_email=email,
                   actor_role=role, office_id=int(office_id), action=action,
                   object_type=object_type, object_id=object_id, ip=None,
                   details=json.loads(details), prev_hash=prev_hash)
    if compute_hash(event) != link:
        raise RuntimeError(f"seed_scale: audit event #{seq} would not verify; "
                           "core.audit's canonical form changed, update scale_history.py")
