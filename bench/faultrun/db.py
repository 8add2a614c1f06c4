"""The run's own look at the database (time travel for the call, and the final checks):
Django set up in this process with the app's environment."""

import os

import django

_ready = False


def setup(env: dict[str, str]) -> None:
    global _ready
    if not _ready:
        os.environ.update(env)
        django.setup()
        _ready = True


def fresh() -> None:
    """Drop connections a PostgreSQL restart may have broken."""
    from django.db import close_old_connections, connections

    close_old_connections()
    for connection in connections.all():
        try:
            connection.ensure_connection()
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except Exception:
            connection.close()


def call_time_arrives(code: str) -> None:
    """The day of the call comes (the browser tests' helper: the confirmed appointment,
    its seat and its meeting move to have started five minutes ago)."""
    from tests.scheduling.factories import call_time_arrives as arrive
    from verifikasi.registrations.models import Registration

    fresh()
    arrive(Registration.objects.get(code=code))


def size_summary() -> str:
    """The database's size and its biggest tables, with the rows behind them."""
    from django.db import connection

    from verifikasi.core.models import AuditEvent
    from verifikasi.notifications.models import OutboundEmail
    from verifikasi.registrations.models import Registration

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        (total,) = cursor.fetchone()
        cursor.execute("SELECT relname, pg_total_relation_size(relid) FROM "
                       "pg_catalog.pg_statio_user_tables ORDER BY 2 DESC LIMIT 5")
        tables = cursor.fetchall()
    return (f"{total / 2**20:.1f} MiB ({Registration.objects.count()} registrations, "
            f"{AuditEvent.objects.count()} audit events, {OutboundEmail.objects.count()} "
            "emails); biggest: " + ", ".join(f"{name} {size / 1024:.0f} KiB"
                                             for name, size in tables))
