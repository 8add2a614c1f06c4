"""Database upkeep the worker runs now and then."""

from django.core.cache import cache
from django.db import connection

ANALYZE_EVERY_SECONDS = 3600


def database_analyze() -> bool:
    """Refresh SQLite's planner statistics hourly.

    Without them SQLite walks the queue's ordering index even for an NPWP
    search that an index answers in a millisecond. PostgreSQL's autovacuum
    keeps its own statistics, so this only runs on SQLite.
    """
    if connection.vendor != "sqlite":
        return False
    if not cache.add("core.database_analyze", "1", ANALYZE_EVERY_SECONDS):
        return False
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA optimize=0x10002")
    return True
