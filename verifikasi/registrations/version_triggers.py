"""The SQL of the triggers that keep ``registrations_queueversion`` (models/queue_version.py).

Used by migrations (registrations 0020, scheduling 0004), so it stays plain functions of
table and column names, on the two databases the project runs on:

* SQLite: a row trigger per event (SQLite has no other kind), each an UPSERT of a new
  ``random()`` value for the office the row belongs to (before and after, on update);
* PostgreSQL: a statement trigger per event with its transition tables, so a statement
  that writes a million rows (``manage.py seed_scale``) sets each office's value once,
  not once a row.
"""

TABLE = "registrations_queueversion"
# A random 63-bit value (never 2⁶³, which bigint cannot hold).
_PG_RANDOM = "floor(random() * 9.2e18)::bigint"
_SQLITE_UPSERT = (f"INSERT INTO {TABLE} (office_id, version) {{rows}} "
                  "ON CONFLICT (office_id) DO UPDATE SET version = excluded.version;")
# Who is shown in the queue: vendors' emails, the team's names (and, for the
# coordinator, who is in the team).
PEOPLE_COLUMNS = ("email", "full_name", "role", "office_id", "is_active")


_TRANSITIONS = {"INSERT": "NEW TABLE AS new_rows",
                "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                "DELETE": "OLD TABLE AS old_rows"}


def _pg_statement_triggers(table: str, name: str, function: str
                           ) -> tuple[list[str], list[str]]:
    """``function`` (which creates the plpgsql function ``name``) run once per statement
    that inserts, updates or deletes rows of ``table``, with its transition tables."""
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
        def upsert(rows):
            return _SQLITE_UPSERT.format(rows=rows)
        bodies = {
            "INSERT": upsert("VALUES (NEW.office_id, random())"),
            "UPDATE": upsert("VALUES (NEW.office_id, random())") + " " + upsert(
                "SELECT OLD.office_id, random() WHERE OLD.office_id IS NOT NEW.office_id"),
            "DELETE": upsert("VALUES (OLD.office_id, random())"),
        }
        create = [f"CREATE TRIGGER {name}_{event.lower()} AFTER {event} ON {table} "
                  f"FOR EACH ROW BEGIN {body} END" for event, body in bodies.items()]
        drop = [f"DROP TRIGGER IF EXISTS {name}_{event.lower()}" for event in bodies]
        return create, drop
    if vendor == "postgresql":
        function = f"""
            CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    INSERT INTO {TABLE} (office_id, version)
                    SELECT office_id, {_PG_RANDOM} FROM (SELECT DISTINCT office_id FROM new_rows) o
                    ON CONFLICT (office_id) DO UPDATE SET version = EXCLUDED.version;
                ELSIF TG_OP = 'UPDATE' THEN
                    INSERT INTO {TABLE} (office_id, version)
                    SELECT office_id, {_PG_RANDOM} FROM (SELECT office_id FROM new_rows
                                                        UNION SELECT office_id FROM old_rows) o
                    ON CONFLICT (office_id) DO UPDATE SET version = EXCLUDED.version;
                ELSE
                    INSERT INTO {TABLE} (office_id, version)
                    SELECT office_id, {_PG_RANDOM} FROM (SELECT DISTINCT office_id FROM old_rows) o
                    ON CONFLICT (office_id) DO UPDATE SET version = EXCLUDED.version;
                END IF;
                RETURN NULL;
            END $$"""  # noqa: S608 - table and column names from the migrations
        return _pg_statement_triggers(table, name, function)
    raise NotImplementedError(f"queue version triggers for {vendor}")


def people_triggers(vendor: str, table: str, name: str, people: int
                    ) -> tuple[list[str], list[str]]:
    """(create, drop) statements: a change of anyone's PEOPLE_COLUMNS, a staff member
    added, anyone deleted, give the row ``people`` a new value."""
    if vendor == "sqlite":
        upsert = _SQLITE_UPSERT.format(rows=f"VALUES ({people}, random())")
        changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in PEOPLE_COLUMNS)
        whens = {"INSERT": "NEW.role IS NOT 'vendor'", "UPDATE": changed, "DELETE": "1"}
        create = [f"CREATE TRIGGER {name}_{event.lower()} AFTER {event} ON {table} "
                  f"FOR EACH ROW WHEN {when} BEGIN {upsert} END" for event, when in whens.items()]
        drop = [f"DROP TRIGGER IF EXISTS {name}_{event.lower()}" for event in whens]
        return create, drop
    if vendor == "postgresql":
        old = ", ".join(f"o.{c}" for c in PEOPLE_COLUMNS)
        new = ", ".join(f"n.{c}" for c in PEOPLE_COLUMNS)
        # Each branch reads only its event's transition tables (the others do not exist).
        function = f"""
            CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                changed boolean;
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    changed := EXISTS (SELECT 1 FROM new_rows WHERE role <> 'vendor');
                ELSIF TG_OP = 'UPDATE' THEN
                    changed := EXISTS (SELECT 1 FROM new_rows n JOIN old_rows o ON o.id = n.id
                                       WHERE ({old}) IS DISTINCT FROM ({new}));
                ELSE
                    changed := EXISTS (SELECT 1 FROM old_rows);
                END IF;
                IF changed THEN
                    INSERT INTO {TABLE} (office_id, version) VALUES ({people}, {_PG_RANDOM})
                    ON CONFLICT (office_id) DO UPDATE SET version = EXCLUDED.version;
                END IF;
                RETURN NULL;
            END $$"""  # noqa: S608 - table and column names from the migrations
        return _pg_statement_triggers(table, name, function)
    raise NotImplementedError(f"queue version triggers for {vendor}")
