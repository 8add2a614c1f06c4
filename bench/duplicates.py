"""Benchmark: the duplicate check of the review screen at national scale on PostgreSQL
(issue 20: under 50 ms with 10⁶ registrations).

    .venv/bin/python bench/duplicates.py                      # 10⁶ rows, several minutes
    .venv/bin/python bench/duplicates.py --registrations 100000 --samples 100
    .venv/bin/python bench/duplicates.py --existing postgres://…/db   # already seeded

Creates a throw-away database on the PostgreSQL server (default 127.0.0.1:5432, user
postgres), migrates it and fills it with ``manage.py seed_scale`` (generate_series), as
bench/queue_page.py does. seed_scale's companies are all different, so identifiers are
then shared on purpose with plain SQL: 2,000 NPWPs reused by a registration in another
office, 2,000 directors' NIKs reused by another company, and one NIK acting for 300
companies (more than the check's cap of ``MATCH_LIMIT``). Then
``registrations.duplicates.registration_duplicates`` — the whole check the review screen
runs, query and flags — is timed for registrations with and without such matches;
p50/p95/max per kind, and EXPLAIN ANALYZE of the check's query for the 300-company NIK.
The database is dropped at the end (``--keep`` keeps it).
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import queue_page as qp  # noqa: E402 - the same environment, seeding and machine lines

GOAL_MS = 50.0
SHARED = 2000
HOT_NIK_COMPANIES = 300


def share_identifiers() -> dict[str, list[int]]:
    """Identifiers shared on purpose; the ids of registrations that now have matches."""
    from django.db import connection

    table = "registrations_registration"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT min(id), max(id) FROM {table}")
        low, high = cursor.fetchone()
        half = (high - low) // 2
        step = max(1, half // SHARED)
        # An NPWP reused half the table away (another office: offices are id ranges).
        cursor.execute(f"""
            UPDATE {table} t SET npwp = s.npwp, npwp_display = s.npwp_display
            FROM {table} s
            WHERE s.id = t.id - %s AND t.id IN (
                SELECT g FROM generate_series(%s, %s, %s) g)
            RETURNING t.id""", [half, low + half, low + half + step * (SHARED - 1), step])
        npwp = [row[0] for row in cursor.fetchall()]
        # A director who also runs another company.
        cursor.execute(f"""
            UPDATE {table} t SET director_nik = s.director_nik
            FROM {table} s
            WHERE s.id = t.id - 1 AND t.id IN (
                SELECT g FROM generate_series(%s, %s, %s) g)
            RETURNING t.id""", [low + 1 + step // 2, low + step * SHARED, step])
        nik = [row[0] for row in cursor.fetchall()]
        # One NIK for 300 companies across the country.
        cursor.execute(f"""
            UPDATE {table} SET director_nik = '6104011201900001'
            WHERE id IN (SELECT g FROM generate_series(%s, %s, %s) g) RETURNING id""",
                       [low + 7, high, (high - low) // HOT_NIK_COMPANIES])
        hot = [row[0] for row in cursor.fetchall()]
        cursor.execute(f"ANALYZE {table}")
    return {"shared NPWP (other office)": npwp, "shared director NIK": nik,
            f"NIK of {len(hot)} companies": hot}


def timed(ids: list[int], samples: int) -> tuple[list[float], list[float], int]:
    from verifikasi.registrations.duplicates import registration_duplicates
    from verifikasi.registrations.models import Registration

    pick = ids[:: max(1, len(ids) // samples)][:samples]
    registrations = list(Registration.objects.filter(pk__in=pick))
    registration_duplicates(registrations[0])  # warm the connection and caches
    times, cpu, matches = [], [], 0
    for registration in registrations:
        start, start_cpu = time.perf_counter(), time.process_time()
        report = registration_duplicates(registration)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        matches += len(report.here) + len(report.elsewhere)
    return sorted(times), cpu, matches


def run(samples: int) -> None:
    from django.db import connection

    from verifikasi.registrations.models import Registration

    started = time.perf_counter()
    kinds = share_identifiers()
    print(f"shared identifiers in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM registrations_registration")
        low, high = cursor.fetchone()
    kinds = {"any registration": list(range(low + 3, high, (high - low) // samples)), **kinds}
    # Wall time grows with the machine's load; the CPU column (this process, median) is
    # what the check itself costs in Python.
    print(f"\n{'kind':<32} {'samples':>7} {'matches':>8} {'p50':>8} {'p95':>8} {'max':>8} "
          f"{'CPU':>8}")
    worst = 0.0
    for kind, ids in kinds.items():
        times, cpu, matches = timed(ids, samples)
        p95 = times[max(0, round(len(times) * 0.95) - 1)]
        worst = max(worst, p95)
        print(f"{kind:<32} {len(times):>7} {matches:>8} {statistics.median(times):6.2f}ms "
              f"{p95:6.2f}ms {times[-1]:6.2f}ms {statistics.median(cpu):6.2f}ms")
    verdict = "within" if worst < GOAL_MS else "OVER"
    print(f"worst p95 {worst:.2f} ms: {verdict} the {GOAL_MS:.0f} ms goal "
          f"(load average {qp.loadavg()})")
    hot = Registration.objects.get(pk=kinds[list(kinds)[-1]][0])
    sql, params = _query_sql(hot)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plan = "\n".join("    " + row[0] for row in cursor.fetchall())
    print(f"\n-- the check's query for the NIK of {HOT_NIK_COMPANIES} companies:\n{plan}")


def _query_sql(registration) -> tuple[str, list]:
    """The SQL registrations.duplicates runs for this registration (its director's NIK)."""
    from django.db.models import Q

    from verifikasi.registrations.duplicates import MATCH_LIMIT
    from verifikasi.registrations.models import Registration

    niks = [registration.director_nik]
    qs = (Registration.objects.filter(
        Q(npwp=registration.npwp) | Q(nib=registration.nib) | Q(director_nik__in=niks)
        | Q(representative_nik__in=niks)).exclude(pk=registration.pk)
        .select_related("office").order_by("-created_at")[:MATCH_LIMIT])
    sql, params = qs.query.sql_with_params()
    return sql, list(params)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registrations", type=int, default=1_000_000)
    parser.add_argument("--offices", type=int, default=650)
    parser.add_argument("--samples", type=int, default=200, help="checks timed per kind")
    parser.add_argument("--postgres", metavar="URL", default=qp.DEFAULT_SERVER)
    parser.add_argument("--existing", metavar="URL",
                        help="a database seed_scale already filled (identifiers get shared)")
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    args = parser.parse_args()
    print(f"duplicate check bench, {time.strftime('%Y-%m-%d %H:%M %Z')}, {qp.machine()}")
    print(f"load average at start: {qp.loadavg()}")
    with tempfile.TemporaryDirectory() as data_dir:
        if args.existing:
            qp.environment(data_dir, args.existing)
            qp.setup_django()
            print(f"database: {args.existing} on {qp.server_version()}")
            run(args.samples)
            return
        qp.on_fresh_postgres(args, data_dir, lambda: run(args.samples))


if __name__ == "__main__":
    main()
