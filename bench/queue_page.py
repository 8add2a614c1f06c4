"""Benchmark: the verifiers' queue at national scale on PostgreSQL (issue 16: every filter
and deep pages at p95 under 100 ms with 10⁶ registrations across 650 offices).

    .venv/bin/python bench/queue_page.py                    # 10⁶ rows, about 3 minutes
    .venv/bin/python bench/queue_page.py --registrations 100000 --requests 20
    .venv/bin/python bench/queue_page.py --postgres postgres://user@host:5432/postgres
    .venv/bin/python bench/queue_page.py --sqlite 100000    # one office on SQLite (ORM fill)

Creates a throw-away database on the PostgreSQL server (default 127.0.0.1:5432, user
postgres), migrates it, fills it with ``manage.py seed_scale`` (generate_series; the seed
time is printed), then requests the queue page through Django's test client as a
verifier of the largest office (about 6 % of all rows) with two-factor login done, for
every filter, every kind of search and deep pages, and prints p50/p95 per case, the ratio
of p95 to the 100 ms goal, the CPU time Django spent and the SQL time per page (what the
page costs, whatever the load), the load average, and EXPLAIN ANALYZE of the slowest
cases' heaviest query. The database is dropped at the end (``--keep`` keeps it).
"""

import argparse
import base64
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOAL_MS = 100.0
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"


def environment(data_dir: str, database_url: str) -> None:
    os.environ.update({
        "DATA_DIR": data_dir, "DEBUG": "0", "LOG_LEVEL": "WARNING",
        "ALLOWED_HOSTS": "testserver", "DATABASE_URL": database_url,
        "STATIC_MANIFEST": "0",  # no collectstatic here
        # Every request builds its page: this measures the queries, not the kept pages
        # (registrations.queue_memo), which bench/pages.py measures.
        "PERSONAL_PAGE_MEMO_SECONDS": "0",
        "SECRET_KEY": "bench-" + uuid.uuid4().hex * 2,
        "ENCRYPTION_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "AUDIT_HMAC_KEY": "bench-" + uuid.uuid4().hex * 2,
        "DJANGO_SETTINGS_MODULE": "verifikasi.settings",
    })


def setup_django() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def seed_postgres(registrations: int, offices: int) -> tuple[float, str]:
    """Run seed_scale; its summary includes the CPU time PostgreSQL spent on its
    connections, and this adds the Python process's: unlike the wall time, neither grows
    with the machine's load."""
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    client = time.process_time()
    started = time.perf_counter()
    call_command("seed_scale", registrations=registrations, offices=offices, stdout=out)
    seconds = time.perf_counter() - started
    client = time.process_time() - client
    return seconds, out.getvalue().splitlines()[0] + f"; CPU: Python {client:.1f} s"


def seed_sqlite(rows: int) -> tuple[float, str]:
    """One office filled through the ORM (seed_scale is PostgreSQL only)."""
    from django.utils import timezone

    from verifikasi.accounts.models import Role, User
    from verifikasi.core.maintenance import database_analyze
    from verifikasi.front.scale_words import WORDS as words
    from verifikasi.offices.models import Office
    from verifikasi.registrations.models import Registration

    statuses = ["submitted", "revision_requested", "documents_accepted", "scheduled",
                "verified", "certificate_sent", "completed", "withdrawn", "rejected", "draft"]
    started = time.perf_counter()
    office = Office.objects.get(code="ketapang")
    verifier = User.objects.create_user("verifikator1@ketapang.test", "x", role=Role.VERIFIER,
                                        office=office)
    vendor = User.objects.create_user("vendor@bench.test", "x")
    now = timezone.now()
    batch = []
    for n in range(rows):
        batch.append(Registration(
            office=office, vendor=vendor, status=statuses[n % len(statuses)],
            company_name=f"CV {words[n % len(words)]} {words[n * 7 % len(words)]} {n:06d}",
            npwp=f"0{(n * 7919 + 12345678) % 10**8:08d}{n:07d}", nib=f"912{n * 7933:010d}",
            email=f"usaha{n}@bench.test", status_changed_at=now - timedelta(minutes=n),
            assigned_to=verifier if n % 3 == 0 else None))
        if len(batch) == 5000:
            Registration.objects.bulk_create(batch)
            batch = []
    Registration.objects.bulk_create(batch)
    database_analyze()
    return time.perf_counter() - started, f"{rows:,} registrations in one office (ORM)"


def staff_client(email: str):
    """A test client logged in as this staff member, second factor done."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP
    from django.test import Client

    from verifikasi.accounts.models import User

    user = User.objects.get(email=email)
    if not Authenticator.objects.filter(user=user).exists():
        TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    client = Client()
    client.force_login(user)
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time()}, {"method": "mfa", "at": time.time()}]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client, user


def cases(user) -> list[tuple[str, dict]]:
    """Every filter, every kind of search (with values taken from the office's own rows)
    and deep pages, for this verifier's office."""
    from verifikasi.registrations.models import Registration
    from verifikasi.registrations.staff_queue import cursor_for

    mine = Registration.objects.filter(office=user.office)
    ordered = mine.order_by("status_changed_at", "code")
    size = mine.count()
    sample = ordered[size // 3]
    rare = mine.exclude(company_name="").order_by("-npwp").first()
    deep = ordered[size * 9 // 10]  # 90 % of the way down "all": OFFSET would read them all
    middle = ordered[size // 2]
    out = [
        ("default (actionable, oldest first)", {}),
        ("all statuses", {"status": "all"}),
        ("status: submitted", {"status": "submitted"}),
        ("status: completed (most rows)", {"status": "completed"}),
        ("status: verified (few rows)", {"status": "verified"}),
        ("assigned to me", {"assigned": "me"}),
        ("unassigned", {"assigned": "unassigned"}),
        ("waiting >= 7 days", {"waited": "7"}),
        ("submitted, unassigned, >= 14 days",
         {"status": "submitted", "assigned": "unassigned", "waited": "14"}),
        ("all, assigned to me, >= 7 days", {"status": "all", "assigned": "me", "waited": "7"}),
        ("overdue (Terlambat), actionable", {"terlambat": "1"}),
        ("overdue (Terlambat), all statuses", {"status": "all", "terlambat": "1"}),
        ("search: common word 'jaya'", {"q": "jaya", "status": "all"}),
        ("search: common word, actionable", {"q": "maju"}),
        ("search: full company name", {"q": rare.company_name, "status": "all"}),
        ("search: no match", {"q": "tidak ada yang cocok", "status": "all"}),
        ("search: NPWP 16 digits", {"q": sample.npwp, "status": "all"}),
        ("search: NPWP 15 digits, dotted", {"q": sample.npwp_display, "status": "all"}),
        ("search: NPWP prefix (6 digits)", {"q": sample.npwp[:6], "status": "all"}),
        ("search: NIB", {"q": sample.nib, "status": "all"}),
        ("search: email", {"q": sample.email, "status": "all"}),
        ("search: email domain '@yahoo.co.id'", {"q": "@yahoo.co.id", "status": "all"}),
        (f"deep page: all, after row {size * 9 // 10:,}",
         {"status": "all", "setelah": cursor_for(deep)}),
        (f"deep page: all, before row {size // 2:,}",
         {"status": "all", "sebelum": cursor_for(middle)}),
        ("deep page: actionable, after the middle", {"setelah": cursor_for(middle)}),
        ("bad cursor (first page and a message)", {"setelah": "rusak"}),
    ]
    return out


@dataclass
class Result:
    p50: float
    p95: float
    cpu: float  # median CPU ms of this process (Django) per request
    sql: float  # the database's ms for one request (all its queries)
    queries: int
    slowest_sql: str
    slowest_ms: float


def measure(client, params: dict, requests: int) -> Result:
    """Wall time per request (p50, p95), the Python CPU time, the SQL time, the queries per
    page, and the page's slowest SQL. On a busy machine the wall time grows with the load;
    CPU and SQL time show what the page itself costs."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    url = reverse("staff_queue")
    client.get(url, params)  # warm caches
    times, cpu = [], []
    for _ in range(requests):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url, params)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, (params, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, params)
    slowest = max(queries.captured_queries, key=lambda q: float(q["time"]))
    times.sort()
    p95 = times[max(0, round(len(times) * 0.95) - 1)]
    return Result(statistics.median(times), p95, statistics.median(cpu),
                  sum(float(q["time"]) for q in queries.captured_queries) * 1000, len(queries),
                  slowest["sql"], float(slowest["time"]) * 1000)


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return "\n".join("    " + " ".join(str(c) for c in row) for row in cursor.fetchall())


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return f"{os.cpu_count()} CPUs ({cpu}), {platform.system()} {platform.release()}"


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def report(title: str, user, requests: int, explain_slowest: int) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM registrations_registration WHERE office_id = %s",
                       [user.office_id])
        office_rows = cursor.fetchone()[0]
    client, _ = staff_client(user.email)
    print(f"\n{title}: {user.office.name}, {office_rows:,} registrations, "
          f"{requests} requests per case; load average before: {loadavg()}")
    print(f"{'case':<44} {'p50':>8} {'p95':>8} {'p95/goal':>9} {'CPU':>8} {'SQL':>8} "
          f"{'queries':>7}")
    results = []
    for label, params in cases(user):
        r = measure(client, params, requests)
        results.append((r.p95, label, r.slowest_sql, r.slowest_ms))
        print(f"{label:<44} {r.p50:6.1f}ms {r.p95:6.1f}ms {r.p95 / GOAL_MS:8.2f}x "
              f"{r.cpu:6.1f}ms {r.sql:6.1f}ms {r.queries:>7}")
    worst = max(results)[0]
    verdict = "every case within" if worst < GOAL_MS else "OVER"
    print(f"worst p95 {worst:.1f} ms = {worst / GOAL_MS:.2f}x the {GOAL_MS:.0f} ms goal: "
          f"{verdict} the goal; load average after: {loadavg()}")
    for p95, label, sql, sql_ms in sorted(results, reverse=True)[:explain_slowest]:
        print(f"\n-- slowest: {label} (p95 {p95:.1f} ms; its heaviest query {sql_ms:.1f} ms)")
        print("    " + sql[:600] + (" …" if len(sql) > 600 else ""))
        print(explain(sql))


def measure_offices(args) -> None:
    from verifikasi.accounts.models import User

    largest = User.objects.get(email="verifikator1@skala-001.lpse.test")
    report("PostgreSQL, the largest office", largest, args.requests, args.explain)
    offices = User.objects.filter(email__startswith="verifikator1@skala-").count()
    median = User.objects.get(email=f"verifikator1@skala-{(offices + 1) // 2:03d}.lpse.test")
    report("PostgreSQL, the median office", median, max(5, args.requests // 3), 0)


def server_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return "PostgreSQL " + cursor.fetchone()[0]


def on_fresh_postgres(args, data_dir: str, measure) -> None:
    """Create a throw-away database on ``args.postgres``, seed ``args.registrations`` in
    ``args.offices`` offices with seed_scale, call ``measure()``, then drop it (kept with
    ``args.keep``). Shared by the queue, reports and duplicate-check benches."""
    import psycopg

    name = f"verifikasi_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(args.postgres, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        environment(data_dir, urlsplit(args.postgres)._replace(path=f"/{name}").geturl())
        setup_django()
        print(f"database: {name} on {server_version()}")
        seconds, summary = seed_postgres(args.registrations, args.offices)
        print(f"seed: {summary}\nseed time: {seconds:.1f} s (load average {loadavg()})")
        measure()
    finally:
        from django.db import connections

        connections.close_all()
        if args.keep:
            print(f"\nkept: {os.environ['DATABASE_URL']}")
        else:
            with psycopg.connect(args.postgres, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registrations", type=int, default=1_000_000)
    parser.add_argument("--offices", type=int, default=650)
    parser.add_argument("--requests", type=int, default=30, help="timed requests per case")
    parser.add_argument("--explain", type=int, default=3, help="plans of the N slowest cases")
    parser.add_argument("--postgres", metavar="URL", default=DEFAULT_SERVER,
                        help=f"server to create the throw-away database on ({DEFAULT_SERVER})")
    parser.add_argument("--sqlite", type=int, metavar="ROWS",
                        help="instead: one office of ROWS registrations on SQLite")
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    parser.add_argument("--existing", metavar="URL",
                        help="measure a database seed_scale already filled (kept as it is)")
    args = parser.parse_args()
    print(f"queue page bench, {time.strftime('%Y-%m-%d %H:%M %Z')}, {machine()}")
    print(f"load average at start: {loadavg()}")
    with tempfile.TemporaryDirectory() as data_dir:
        if args.sqlite:
            environment(data_dir, f"sqlite:///{data_dir}/bench.sqlite3")
            setup_django()
            seconds, summary = seed_sqlite(args.sqlite)
            print(f"seed: {summary} in {seconds:.1f} s")
            from verifikasi.accounts.models import User

            report("SQLite", User.objects.get(email="verifikator1@ketapang.test"),
                   args.requests, args.explain)
            return
        if args.existing:
            environment(data_dir, args.existing)
            setup_django()
            print(f"database: {args.existing} (already seeded) on {server_version()}")
            measure_offices(args)
            return
        on_fresh_postgres(args, data_dir, lambda: measure_offices(args))


if __name__ == "__main__":
    main()
