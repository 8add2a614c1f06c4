"""Benchmark: the verifiers' queue with 100,000 registrations (DESIGN: p95 under 100 ms).

    .venv/bin/python bench/queue_page.py [--rows 100000] [--requests 40] [--postgres URL]

Fills a throwaway database (SQLite in a temporary DATA_DIR; with --postgres, a
fresh database on that server, e.g. postgres://postgres@127.0.0.1:5432/postgres)
with ``rows`` registrations of one office, then requests the queue page through
Django's test client, logged in as a verifier with 2FA, for the filters people
use, and prints p50/p95 milliseconds per request and SQL queries per page. The
baseline is the same page with 1,000 registrations: the ratio shows how the
page scales (indexes and pagination keep it flat; a table scan or N+1 grows it).
"""

import argparse
import base64
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FILTERS = [
    ("default (actionable, oldest first)", {}),
    ("all statuses", {"status": "all"}),
    ("assigned to me", {"assigned": "me"}),
    ("unassigned, waiting >= 7 days", {"assigned": "unassigned", "waited": "7"}),
    ("search company name", {"q": "Usaha 4242"}),
    ("search NPWP digits", {"q": "0000000000042420"}),
    ("page 200", {"status": "all", "halaman": "200"}),
]
STATUSES = ["submitted", "revision_requested", "documents_accepted", "scheduled", "verified",
            "certificate_sent", "completed", "withdrawn", "rejected", "draft"]


def setup(data_dir: str, postgres: str | None) -> str:
    env = {"DATA_DIR": data_dir, "DEBUG": "0", "LOG_LEVEL": "WARNING",
           "ALLOWED_HOSTS": "testserver", "STATIC_MANIFEST": "0",  # no collectstatic here
           "SECRET_KEY": "bench-" + uuid.uuid4().hex * 2,
           "ENCRYPTION_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
           "AUDIT_HMAC_KEY": "bench-" + uuid.uuid4().hex * 2}
    if postgres:
        import psycopg

        name = f"verifikasi_bench_{uuid.uuid4().hex[:8]}"
        parts = urlsplit(postgres)
        with psycopg.connect(postgres, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = parts._replace(path=f"/{name}").geturl()
    else:
        env["DATABASE_URL"] = f"sqlite:///{data_dir}/bench.sqlite3"
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verifikasi.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    return env["DATABASE_URL"]


def fill(rows: int, start: int = 0) -> None:
    from django.utils import timezone

    from verifikasi.accounts.models import Role, User
    from verifikasi.offices.models import Office
    from verifikasi.registrations.models import Registration

    office = Office.objects.get(code="ketapang")
    verifier = User.objects.filter(email="verifikator@bench.test").first()
    vendor = User.objects.filter(email="vendor@bench.test").first()
    if verifier is None:
        verifier = User.objects.create_user("verifikator@bench.test", "x", role=Role.VERIFIER,
                                            office=office)
        vendor = User.objects.create_user("vendor@bench.test", "x")
    now = timezone.now()
    batch = []
    for n in range(start, start + rows):
        status = STATUSES[n % len(STATUSES)]
        batch.append(Registration(
            office=office, vendor=vendor, status=status, company_name=f"CV Usaha {n:05d}",
            npwp=f"{n * 10:016d}", nib=f"{n:013d}", email=f"usaha{n}@bench.test",
            status_changed_at=now - timedelta(minutes=n),
            assigned_to=verifier if n % 3 == 0 else None))
        if len(batch) == 5000:
            Registration.objects.bulk_create(batch)
            batch = []
    Registration.objects.bulk_create(batch)


def measure(requests: int) -> dict[str, tuple[float, float, int]]:
    from allauth.mfa.totp.internal.auth import TOTP
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from verifikasi.accounts.models import User

    verifier = User.objects.get(email="verifikator@bench.test")
    if not verifier.authenticator_set.exists():
        TOTP.activate(verifier, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    client = Client()
    client.force_login(verifier)
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time()}, {"method": "mfa", "at": time.time()}]
    session["account_authentication_methods_user"] = str(verifier.pk)
    session.save()
    url = reverse("staff_queue")
    results = {}
    for label, params in FILTERS:
        client.get(url, params)  # warm caches
        times = []
        for _ in range(requests):
            start = time.perf_counter()
            response = client.get(url, params)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.status_code
        with CaptureQueriesContext(connection) as queries:
            client.get(url, params)
        times.sort()
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        results[label] = (statistics.median(times), p95, len(queries))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--postgres", metavar="URL",
                        help="run on a fresh database on this PostgreSQL server")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        db_url = setup(data_dir, args.postgres)
        engine = "PostgreSQL" if args.postgres else "SQLite"
        baseline_rows = 1000
        fill(baseline_rows)
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        baseline = measure(args.requests)
        fill(args.rows - baseline_rows, start=baseline_rows)
        # Fresh planner statistics, as the worker's upkeep keeps them on SQLite
        # (core.maintenance) and autovacuum on PostgreSQL after a bulk load.
        from django.db import connection

        from verifikasi.core.maintenance import database_analyze

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        else:
            database_analyze()
        started = time.perf_counter()
        big = measure(args.requests)
        print(f"queue page, {engine}, {args.requests} requests per filter "
              f"(measured in {time.perf_counter() - started:.0f} s)")
        print(f"{'filter':<38} {'1,000 rows p95':>15} {args.rows:>9,} rows p50 / p95"
              f"   queries   ratio (p95)")
        worst = 0.0
        for label, (p50, p95, queries) in big.items():
            base = baseline[label][1]
            worst = max(worst, p95)
            print(f"{label:<38} {base:>12.1f} ms {p50:>12.1f} / {p95:6.1f} ms {queries:>6}"
                  f"   {p95 / base:8.2f}x")
        verdict = "within" if worst < 100 else "OVER"
        print(f"worst p95: {worst:.1f} ms — {verdict} the 100 ms budget")
        if args.postgres:
            from django.db import connections

            connections.close_all()
            import psycopg

            name = urlsplit(db_url).path.strip("/")
            with psycopg.connect(args.postgres, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE "{name}"')


if __name__ == "__main__":
    main()
