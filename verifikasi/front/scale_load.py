"""Loading 10⁶ rows in one transaction without paying for each index row by row
(used by manage.py seed_scale around scale_seed and scale_history)."""

from contextlib import contextmanager

from django.db import connection


@contextmanager
def bulk_load(tables: list[str]):
    """Load faster inside the caller's transaction: the tables' plain indexes and unique
    constraints are dropped and rebuilt afterwards (one sort instead of 10⁶ random
    inserts; DDL is transactional, so a failure restores them; the rebuilt constraints
    check every row again), and a superuser skips the per-row foreign-key triggers
    (every id is taken from rows this load just wrote). Yields whether it skipped them."""
    with connection.cursor() as cursor:
        # Compiling these long expressions costs seconds per statement and saves nothing.
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        # The audit events are sorted by time (1.75 million rows at 10⁶): in memory.
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        superuser = bool(cursor.fetchone()[0])
        if superuser:
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("""
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""",
                       [tables])
        indexes = cursor.fetchall()
        # Unique constraints no foreign key leans on (the random UUID codes, the audit
        # hashes): 10⁶ random inserts each would miss the cache on every one.
        cursor.execute("""
            SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
            FROM pg_constraint c
            WHERE c.contype = 'u' AND c.conrelid::regclass::text = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint f
                              WHERE f.contype = 'f' AND f.conindid = c.conindid)""",
                       [tables])
        uniques = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        for table, name, _ in uniques:
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
    yield superuser
    with connection.cursor() as cursor:
        for table, name, definition in uniques:
            cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        for _, definition in indexes:
            cursor.execute(definition)
        if superuser:
            cursor.execute("SET LOCAL session_replication_role = origin")
