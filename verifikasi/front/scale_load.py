"""Loading 10⁶ rows without paying for each index row by row, on several connections
(used by manage.py seed_scale): the big tables' plain indexes and unique constraints are
dropped before the load and rebuilt after it, each rebuild a task of its own, so two
CPUs build two indexes at once (one sort each instead of 10⁶ random inserts; the rebuilt
constraints check every row again).

The load commits step by step, so a failure cannot simply roll back. What it needs to
undo everything is written first, in the table ``scale_seed_pending``, and committed with
the dropped indexes: the highest id of each table before the load, the audit chain's
head, the dropped definitions. ``undo()`` deletes the rows above those ids, puts the
head back and rebuilds what is missing; the command calls it after a failure, and on its
next start if a seed was killed (the table still exists).
"""

# ruff: noqa: S608 -- the SQL is built from table names (_meta.db_table) and the
# definitions PostgreSQL itself printed (pg_get_indexdef); every value is a parameter.

import json

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from verifikasi.accounts.models import User
from verifikasi.core.models import AuditChainHead, AuditEvent
from verifikasi.offices.models import Office
from verifikasi.registrations.models import Document, DocumentType, Registration

from .scale_pool import Task

MARKER = "scale_seed_pending"
# The seed's helper tables (rows per office and per staff member), dropped at the end.
HELPERS = ("scale_office", "scale_staff")
BIG = [model._meta.db_table for model in (User, Registration, Document, AuditEvent)]
# What a seed writes, children first: (table, column compared with the table's base).
WRITTEN = [
    (AuditEvent._meta.db_table, "id", AuditEvent._meta.db_table),
    (Document._meta.db_table, "id", Document._meta.db_table),
    (Registration._meta.db_table, "id", Registration._meta.db_table),
    (Authenticator._meta.db_table, "user_id", User._meta.db_table),
    (EmailAddress._meta.db_table, "user_id", User._meta.db_table),
    (User._meta.db_table, "id", User._meta.db_table),
    (DocumentType._meta.db_table, "office_id", Office._meta.db_table),
    (Office._meta.db_table, "id", Office._meta.db_table),
]
SESSION = [
    # Compiling these long expressions costs seconds per statement and saves nothing.
    "SET jit = off",
    "SET maintenance_work_mem = '256MB'",
    # The audit events are sorted by time (1.75 million rows at 10⁶): in memory.
    "SET work_mem = '256MB'",
]


def is_superuser(cursor) -> bool:
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    return bool(cursor.fetchone()[0])


def configure(cursor, *, superuser: bool, jobs: int) -> None:
    """A load connection's settings: a superuser skips the per-row foreign-key triggers
    (every id is taken from rows this load wrote); with a connection per CPU,
    PostgreSQL's own parallel index workers would only compete with the others."""
    for statement in SESSION:
        cursor.execute(statement)
    if superuser:
        cursor.execute("SET session_replication_role = replica")
    if jobs > 1:
        cursor.execute("SET max_parallel_maintenance_workers = 0")


def pending(cursor) -> dict | None:
    """The state a seed that did not finish left behind, or None."""
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [MARKER])
    if not cursor.fetchone()[0]:
        return None
    cursor.execute(f"SELECT state FROM {MARKER}")
    row = cursor.fetchone()
    return None if row is None else (row[0] if isinstance(row[0], dict) else json.loads(row[0]))


def prepare(cursor) -> dict:
    """Record the bases and the definitions in the marker table, then drop the indexes
    (the caller commits both at once). Returns the state."""
    bases = {}
    for table in {base for _, _, base in WRITTEN}:
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
        bases[table] = cursor.fetchone()[0]
    head = AuditChainHead._meta.db_table
    cursor.execute(f"SELECT seq, hash FROM {head} WHERE id = 1")
    seq, hash_ = cursor.fetchone() or (0, "")
    cursor.execute("""
        SELECT i.tablename, i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        ORDER BY 1, 2""", [BIG])
    indexes = [list(row) for row in cursor.fetchall()]
    # Unique constraints no foreign key leans on (the random UUID codes, the audit
    # hashes): 10⁶ random inserts each would miss the cache on every one.
    cursor.execute("""
        SELECT c.conrelid::regclass::text, c.conname, pg_get_indexdef(c.conindid),
               pg_get_constraintdef(c.oid), c.condeferrable, c.condeferred
        FROM pg_constraint c
        WHERE c.contype = 'u' AND c.conrelid::regclass::text = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint f
                          WHERE f.contype = 'f' AND f.conindid = c.conindid)
        ORDER BY 1, 2""", [BIG])
    uniques = [list(row) for row in cursor.fetchall()]
    state = {"bases": bases, "head": [seq, hash_], "indexes": indexes, "uniques": uniques}
    cursor.execute(f"CREATE TABLE {MARKER} (state jsonb NOT NULL)")
    cursor.execute(f"INSERT INTO {MARKER} VALUES (%s::jsonb)", [json.dumps(state)])
    for _, name, _ in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    for table, name, *_ in uniques:
        cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
    return state


def rebuild_tasks(state: dict, loaded: dict[str, tuple[str, ...]],
                  rows: dict[str, int]) -> list[Task]:
    """A task per dropped index (after ``loaded[table]``, the tasks that fill it), one per
    table that attaches its unique indexes as constraints again, then its VACUUM ANALYZE
    (``vacuum:<table>``, after the attach) unless the caller drops those."""
    tasks, per_table = [], {}
    for table, name, definition in state["indexes"]:
        cost = rows.get(table, 1) / 1e6 * (8 if " USING gin " in definition else 1)
        tasks.append(Task(f"index:{name}", _run(definition), loaded[table], cost))
        per_table.setdefault(table, []).append(f"index:{name}")
    for table, name, index_definition, *_ in state["uniques"]:
        cost = rows.get(table, 1) / 1e6 * 1.5
        tasks.append(Task(f"index:{name}", _run(index_definition), loaded[table], cost))
        per_table.setdefault(table, []).append(f"index:{name}")
    for table, names in per_table.items():
        attach = [(name, deferrable, deferred)
                  for t, name, _, _, deferrable, deferred in state["uniques"] if t == table]
        tasks.append(Task(f"attach:{table}", _attach(table, attach), tuple(names), 0.01))
        tasks.append(Task(f"vacuum:{table}", _run(f"VACUUM ANALYZE {table}"),
                          (f"attach:{table}",), rows.get(table, 1) / 1e6, transaction=False))
    return tasks


def _run(sql: str):
    return lambda cursor: cursor.execute(sql)


def _attach(table: str, uniques: list):
    def run(cursor):
        for name, deferrable, deferred in uniques:
            cursor.execute(
                f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" UNIQUE USING INDEX "{name}"'
                + (" DEFERRABLE" if deferrable else "")
                + (" INITIALLY DEFERRED" if deferred else ""))
    return run


def finish(cursor) -> None:
    """The load is complete: drop the helper tables and the marker."""
    for table in (*HELPERS, MARKER):
        cursor.execute(f"DROP TABLE IF EXISTS {table}")


def undo(cursor, state: dict) -> None:
    """Delete what the seed wrote, put the audit chain's head back and rebuild what is
    missing (one transaction: the caller's)."""
    if is_superuser(cursor):
        # Without a foreign-key check per row, as the load wrote them: every row that
        # refers to one of them is the load's too and goes first, and the checks would
        # lack the dropped indexes (a scan of the documents per registration deleted).
        cursor.execute("SET LOCAL session_replication_role = replica")
        _delete(cursor, state)
        _rebuild(cursor, state)
        cursor.execute("SET LOCAL session_replication_role = origin")
    else:
        # Checked row by row: the indexes first, so each check finds its rows by one.
        _rebuild(cursor, state)
        # Checked at each DELETE, not queued for the commit (millions of pending events).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        _delete(cursor, state)
    finish(cursor)


def _delete(cursor, state: dict) -> None:
    bases = state["bases"]
    for table, column, base in WRITTEN:
        cursor.execute(f"DELETE FROM {table} WHERE {column} > %s", [bases[base]])
    seq, hash_ = state["head"]
    cursor.execute(f"UPDATE {AuditChainHead._meta.db_table} SET seq = %s, hash = %s "
                   "WHERE id = 1", [seq, hash_])


def _rebuild(cursor, state: dict) -> None:
    cursor.execute("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
    present = {row[0] for row in cursor.fetchall()}
    for _, name, definition in state["indexes"]:
        if name not in present:
            cursor.execute(definition)
    cursor.execute("SELECT conname FROM pg_constraint WHERE contype = 'u'")
    constraints = {row[0] for row in cursor.fetchall()}
    for table, name, _, definition, *_ in state["uniques"]:
        if name in constraints:
            continue
        if name in present:  # rebuilt but not attached yet
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
