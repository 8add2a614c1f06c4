"""The SQL of the triggers that keep ``registrations_queueversion`` (models/queue_version.py).

Used by migrations (registrations 0020, scheduling 0004), so it stays plain functions of
table and column names, on the two databases the project runs on:

* SQLite: a row trigger per event (SQLite has no other kind), each an UPSERT of a new
  ``random()`` value for the office the row belongs to (before and after, on update);
* PostgreSQL: a statement trigger per event with its transition tables, so a statement
  that writes a million rows (``manage.py seed_scale``) sets each office's value once,
  not once a row.

Any other database is refused when the migration runs (``UnsupportedDatabase``), rather
than migrated without the triggers the queue's kept pages rely on.
"""

from django.core.exceptions import ImproperlyConfigured

# ruff: noqa: S608 - every statement here is made of this module's constants and the
# table names its migrations pass, never of input.

TABLE = "registrations_queueversion"
# The row whose value changes with the people the queue shows (no office has id 0).
PEOPLE = 0
# Who is shown in the queue: vendors' emails, the team's names (and, for the
# coordinator, who is in the team).
PEOPLE_COLUMNS = ("email", "full_name", "role", "office_id", "is_active")
EVENTS = ("INSERT", "UPDATE", "DELETE")
# A random 63-bit value (never 2⁶³, which bigint cannot hold).
_PG_RANDOM = "floor(random() * 9.2e18)::bigint"
_UPSERT = "ON CONFLICT (office_id) DO UPDATE SET version = excluded.version;"
_TRANSITIONS = {"INSERT": "NEW TABLE AS new_rows",
                "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                "DELETE": "OLD TABLE AS old_rows"}


class UnsupportedDatabase(ImproperlyConfigured):
    """The queue's version triggers exist for SQLite and PostgreSQL only: a migration on
    any other database stops here, with this message, instead of leaving the queue's kept
    pages blind to every change."""

    def __init__(self, vendor: str):
        super().__init__(f"the queue's version triggers are written for SQLite and "
                         f"PostgreSQL, not {vendor}: the queue's kept pages would never "
                         "see a change")


def _sqlite_upsert(rows: str) -> str:
    return f"INSERT INTO {TABLE} (office_id, version) {rows} {_UPSERT}"


def _sqlite_row_triggers(table: str, name: str, bodies: dict[str, str],
                         whens: dict[str, str] | None = None) -> tuple[list[str], list[str]]:
    create = [f"CREATE TRIGGER {name}_{event.lower()} AFTER {event} ON {table} FOR EACH ROW "
              + (f"WHEN {whens[event]} " if whens else "") + f"BEGIN {body} END"
              for event, body in bodies.items()]
    drop = [f"DROP TRIGGER IF EXISTS {name}_{event.lower()}" for event in bodies]
    return create, drop


def _pg_statement_triggers(table: str, name: str, body: str) -> tuple[list[str], list[str]]:
    """The plpgsql function ``name`` with ``body``, run once per statement that inserts,
    updates or deletes rows of ``table``, with its transition tables."""
    function = (f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN {body} RETURN NULL; END $$")
    create = [function] + [
        f"CREATE TRIGGER {name}_{event.lower()} AFTER {event} ON {table} "
        f"REFERENCING {rows} FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
        for event, rows in _TRANSITIONS.items()]
    drop = [f"DROP TRIGGER IF EXISTS {name}_{event.lower()} ON {table}"
            for event in _TRANSITIONS] + [f"DROP FUNCTION IF EXISTS {name}()"]
    return create, drop


def office_triggers(vendor: str, table: str, name: str) -> tuple[list[str], list[str]]:
    """(create, drop) statements: every insert, update or delete of ``table`` (which has
    an ``office_id`` column) gives the offices of the rows it touched a new value."""
    if vendor == "sqlite":
        new, old = "VALUES (NEW.office_id, random())", "VALUES (OLD.office_id, random())"
        moved = "SELECT OLD.office_id, random() WHERE OLD.office_id IS NOT NEW.office_id"
        return _sqlite_row_triggers(table, name, {
            "INSERT": _sqlite_upsert(new),
            "UPDATE": _sqlite_upsert(new) + " " + _sqlite_upsert(moved),
            "DELETE": _sqlite_upsert(old),
        })
    if vendor == "postgresql":
        # Each branch reads only its event's transition tables (the others do not exist).
        offices = {"INSERT": "SELECT office_id FROM new_rows",
                   "UPDATE": "SELECT office_id FROM new_rows UNION SELECT office_id FROM old_rows",
                   "DELETE": "SELECT office_id FROM old_rows"}
        branches = " ELSIF ".join(
            f"TG_OP = '{event}' THEN INSERT INTO {TABLE} (office_id, version) "
            f"SELECT office_id, {_PG_RANDOM} FROM ({rows}) o GROUP BY office_id {_UPSERT}"
            for event, rows in offices.items())
        return _pg_statement_triggers(table, name, f"IF {branches} END IF;")
    raise UnsupportedDatabase(vendor)


def people_triggers(vendor: str, table: str, name: str) -> tuple[list[str], list[str]]:
    """(create, drop) statements: a change of anyone's PEOPLE_COLUMNS, a staff member
    added, anyone deleted, give the row ``PEOPLE`` a new value."""
    if vendor == "sqlite":
        upsert = _sqlite_upsert(f"VALUES ({PEOPLE}, random())")
        changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in PEOPLE_COLUMNS)
        return _sqlite_row_triggers(
            table, name, dict.fromkeys(EVENTS, upsert),
            whens={"INSERT": "NEW.role IS NOT 'vendor'", "UPDATE": changed, "DELETE": "1"})
    if vendor == "postgresql":
        old = ", ".join(f"o.{c}" for c in PEOPLE_COLUMNS)
        new = ", ".join(f"n.{c}" for c in PEOPLE_COLUMNS)
        touched = {
            "INSERT": "SELECT 1 FROM new_rows WHERE role <> 'vendor'",
            "UPDATE": "SELECT 1 FROM new_rows n JOIN old_rows o ON o.id = n.id "
                      f"WHERE ({old}) IS DISTINCT FROM ({new})",
            "DELETE": "SELECT 1 FROM old_rows",
        }
        upsert = f"INSERT INTO {TABLE} (office_id, version) VALUES ({PEOPLE}, {_PG_RANDOM}) "
        # Each branch reads only its event's transition tables (the others do not exist).
        branches = " ELSIF ".join(
            f"TG_OP = '{event}' THEN IF EXISTS ({rows}) THEN {upsert}{_UPSERT} END IF;"
            for event, rows in touched.items())
        return _pg_statement_triggers(table, name, f"IF {branches} END IF;")
    raise UnsupportedDatabase(vendor)


def migrate(schema_editor, triggers, *, drop: bool = False) -> None:
    """Run ``triggers``' create statements (or their drop statements) in a migration:
    ``triggers`` is a list of functions of the database vendor, like office_triggers
    with its table and name given."""
    for statements in triggers:
        for sql in statements(schema_editor.connection.vendor)[1 if drop else 0]:
            schema_editor.execute(sql, params=None)
