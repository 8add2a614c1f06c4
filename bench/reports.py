"""Benchmark: the office head's reports page at national scale on PostgreSQL (issue 19:
p95 under 500 ms with 10⁶ registrations).

    .venv/bin/python bench/reports.py                        # 10⁶ rows (seeding takes minutes)
    .venv/bin/python bench/reports.py --registrations 200000 --requests 10
    .venv/bin/python bench/reports.py --existing postgres://postgres@127.0.0.1:5432/db

Creates a throw-away database, fills it with ``manage.py seed_scale`` (the queue bench's
seeding: registrations of 650 offices with their audit history), then requests
/staf/laporan/ as the head (coordinator) of the largest office (about 6 % of all rows)
and of the median office, for several periods, and one export; prints p50/p95 per case,
the SQL time and query count per page, and EXPLAIN ANALYZE of the slowest case's
heaviest query. The database is dropped at the end (``--keep`` keeps it).
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.queue_page import (  # noqa: E402 -- after the path is set
    DEFAULT_SERVER,
    environment,
    explain,
    loadavg,
    machine,
    on_fresh_postgres,
    server_version,
    setup_django,
    staff_client,
)

GOAL_MS = 500.0


def cases() -> list[tuple[str, str, dict]]:
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    year_ago = (today - timedelta(days=365)).isoformat()
    return [
        ("page: default (6 months by month)", "report_page", {}),
        ("page: 12 months by month", "report_page",
         {"group": "month", "start": year_ago, "end": today.isoformat()}),
        ("page: 12 weeks by week", "report_page", {"group": "week"}),
        ("page: 3 years by month", "report_page",
         {"group": "month", "start": (today - timedelta(days=3 * 365)).isoformat(),
          "end": today.isoformat()}),
        ("export: turnaround.xlsx, 12 months", "turnaround.xlsx",
         {"group": "month", "start": year_ago, "end": today.isoformat()}),
        ("export: verifiers.csv, 12 months", "verifiers.csv",
         {"group": "month", "start": year_ago, "end": today.isoformat()}),
    ]


def measure(client, name: str, params: dict, requests: int):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    if name == "report_page":
        url = reverse("report_page")
    else:
        key, fmt = name.split(".")
        url = reverse("report_export", args=[key, fmt])
    client.get(url, params)  # warm caches
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url, params)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (name, params, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, params)
    slowest = max(queries.captured_queries, key=lambda q: float(q["time"]))
    times.sort()
    p95 = times[max(0, round(len(times) * 0.95) - 1)]
    sql = sum(float(q["time"]) for q in queries.captured_queries) * 1000
    return statistics.median(times), p95, sql, len(queries), slowest


def query_times(client) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("report_page"))
    for q in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:8]:
        print(f"  {float(q['time']) * 1000:6.1f} ms  {q['sql'][:150]}")


def report(title: str, email: str, requests: int, explain_slowest: bool,
           show_queries: bool = False) -> float:
    from django.db import connection

    client, user = staff_client(email)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM registrations_registration WHERE office_id = %s",
                       [user.office_id])
        rows = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM core_auditevent WHERE office_id = %s",
                       [user.office_id])
        events = cursor.fetchone()[0]
    print(f"\n{title}: {user.office.name}, {rows:,} registrations, {events:,} audit events, "
          f"{requests} requests per case; load average before: {loadavg()}")
    if show_queries:
        query_times(client)
    print(f"{'case':<40} {'p50':>8} {'p95':>8} {'p95/goal':>9} {'SQL':>8} {'queries':>7}")
    worst = (0.0, "", None)
    for label, name, params in cases():
        p50, p95, sql, count, slowest = measure(client, name, params, requests)
        print(f"{label:<40} {p50:6.1f}ms {p95:6.1f}ms {p95 / GOAL_MS:8.2f}x {sql:6.1f}ms "
              f"{count:>7}")
        worst = max(worst, (p95, label, slowest), key=lambda w: w[0])
    verdict = "within" if worst[0] < GOAL_MS else "OVER"
    print(f"worst p95 {worst[0]:.1f} ms ({worst[1]}) = {worst[0] / GOAL_MS:.2f}x the "
          f"{GOAL_MS:.0f} ms goal: {verdict}; load average after: {loadavg()}")
    if explain_slowest and worst[2] is not None:
        print(f"\n-- its heaviest query ({float(worst[2]['time']) * 1000:.1f} ms):")
        print("    " + worst[2]["sql"][:800])
        print(explain(worst[2]["sql"]))
    return worst[0]


def measure_offices(args) -> None:
    from verifikasi.accounts.models import User

    report("PostgreSQL, the largest office", "ketua@skala-001.lpse.test", args.requests,
           args.explain, args.queries)
    offices = User.objects.filter(email__startswith="ketua@skala-").count()
    report("PostgreSQL, the median office", f"ketua@skala-{(offices + 1) // 2:03d}.lpse.test",
           max(5, args.requests // 3), False, args.queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registrations", type=int, default=1_000_000)
    parser.add_argument("--offices", type=int, default=650)
    parser.add_argument("--requests", type=int, default=20, help="timed requests per case")
    parser.add_argument("--explain", action="store_true", help="plan of the slowest query")
    parser.add_argument("--queries", action="store_true",
                        help="each query's time on the default page (where the time goes)")
    parser.add_argument("--postgres", metavar="URL", default=DEFAULT_SERVER)
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    parser.add_argument("--existing", metavar="URL",
                        help="measure a database seed_scale already filled (kept as it is)")
    args = parser.parse_args()
    print(f"reports page bench, {time.strftime('%Y-%m-%d %H:%M %Z')}, {machine()}")
    with tempfile.TemporaryDirectory() as data_dir:
        if args.existing:
            environment(data_dir, args.existing)
            setup_django()
            print(f"database: {args.existing} (already seeded) on {server_version()}")
            measure_offices(args)
            return
        on_fresh_postgres(args, data_dir, lambda: measure_offices(args))


if __name__ == "__main__":
    main()
