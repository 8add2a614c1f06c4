import os
import secrets
import time

import psycopg
from allauth.mfa.totp.internal.auth import generate_totp_secret
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from verifikasi.front import scale_load, scale_plan
from verifikasi.front.scale_pool import Pool, process_cpu
from verifikasi.registrations.models import Registration


class Command(BaseCommand):
    help = (
        "PostgreSQL only, for measuring: fill an EMPTY database with a national-scale load "
        "(default 10^6 registrations across 650 offices, with staff, vendors, documents as "
        "rows without files, and their history in the audit chain), on a connection per "
        "CPU. It commits step by step; if it fails or is killed, what it wrote is removed "
        "(at once, or when it is next started)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--registrations", type=int, default=1_000_000)
        parser.add_argument("--offices", type=int, default=650)
        # Each connection may sort in 256 MB (scale_load.SESSION): at most 8 by default.
        parser.add_argument("--jobs", type=int, default=min(8, max(2, os.cpu_count() or 2)),
                            help="connections working at once (default: the CPUs, at least 2 "
                                 "and at most 8; each may use 512 MB of the server's memory "
                                 "for its sorts)")
        parser.add_argument("--no-vacuum", action="store_true",
                            help="skip VACUUM ANALYZE of the filled tables afterwards")

    def handle(self, *args, registrations, offices, jobs, no_vacuum, verbosity, **options):
        self.verbosity = verbosity
        if connection.vendor != "postgresql":
            raise CommandError(
                "seed_scale needs PostgreSQL (it fills the database with generate_series); "
                f"DATABASE_URL points to {connection.vendor}. For SQLite, bench/queue_page.py "
                "fills a smaller queue through the ORM.")
        if registrations < 1 or offices < 1 or offices > 999 or jobs < 1:
            raise CommandError("--registrations must be at least 1, --offices 1 to 999 "
                               "and --jobs at least 1")
        if connection.in_atomic_block:
            raise CommandError("seed_scale commits step by step on several connections: "
                               "call it outside a transaction")
        self._undo_unfinished()
        if Registration.objects.exists():
            raise CommandError(
                "seed_scale fills an empty database only (this one has registrations): "
                "create a new database for it, never run it against real data.")
        with connection.cursor() as cursor:
            superuser = scale_load.is_superuser(cursor)
        started = time.perf_counter()
        plan = scale_plan.Plan(registrations=registrations, offices=offices,
                               now=timezone.now(), staff_password=secrets.token_urlsafe(12),
                               totp_secret=generate_totp_secret(), jobs=jobs,
                               vacuum=not no_vacuum)

        def connect():
            conn = psycopg.connect(**connection.get_connection_params(), autocommit=True)
            with conn.cursor() as cursor:
                cursor.execute("SET TIME ZONE %s", [connection.timezone_name])
                scale_load.configure(cursor, superuser=superuser, jobs=jobs)
            return conn

        with connect() as conn:
            with conn.transaction(), conn.cursor() as cursor:
                scale_plan.setup(cursor, plan)
            setup_cpu = process_cpu(conn.info.backend_pid)
        pool = Pool(connect, jobs)
        try:
            steps = pool.run(scale_plan.tasks(plan))
            with connection.cursor() as cursor:
                scale_load.finish(cursor)
        except Exception:
            # (Interrupted instead, the process ends: the next start undoes it.)
            self._undo(plan.state)
            raise
        cpu = None if setup_cpu is None or pool.cpu is None else setup_cpu + pool.cpu
        self._report(plan, steps, time.perf_counter() - started, cpu, superuser)

    def _undo_unfinished(self) -> None:
        with connection.cursor() as cursor:
            state = scale_load.pending(cursor)
        if state is not None:
            self.stderr.write("An earlier seed_scale did not finish: removing what it "
                              "wrote and rebuilding the indexes it dropped.")
            self._undo(state)

    @staticmethod
    def _undo(state: dict) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            scale_load.undo(cursor, state)

    def _report(self, plan, steps, seconds: float, cpu: float | None,
                superuser: bool) -> None:
        history = plan.history
        by_kind: dict[str, float] = {}
        for step in steps:
            kind = step.name.split(":")[0]
            by_kind[kind] = by_kind.get(kind, 0.0) + step.seconds
        h = history.seconds
        self.stdout.write(
            f"seeded {plan.registrations:,} registrations in {plan.offices} offices "
            f"({plan.staff:,} staff, {plan.vendors:,} vendors, "
            f"{sum(plan.documents.values()):,} documents, {history.events:,} audit events) "
            f"in {seconds:.1f} s on {plan.jobs} connections"
            + (f", PostgreSQL CPU {cpu:.1f} s" if cpu is not None else "")
            + " (steps, summed: "
            + ", ".join(f"{kind} {total:.1f} s" for kind, total in by_kind.items())
            + f"; history: export {h['export']:.1f} s, chained in a thread "
            f"{h['chain']:.1f} s CPU while COPY wrote them, {h['copy']:.1f} s)\n"
            f"largest office: skala-001; staff log in as verifikator1@skala-001.lpse.test "
            f"(ketua@… for the coordinator) with password {plan.staff_password} and TOTP "
            f"secret {plan.totp_secret}"
            + ("" if superuser else "\n(not a superuser: foreign keys were checked row by row)"))
        if self.verbosity > 1:
            for step in sorted(steps, key=lambda step: step.started):
                self.stdout.write(f"  {step.started:6.1f} s  connection {step.worker + 1}  "
                                  f"{step.seconds:5.1f} s  {step.name}")
