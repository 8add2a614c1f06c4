import secrets
import time

from allauth.mfa.totp.internal.auth import generate_totp_secret
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from verifikasi.accounts.models import User
from verifikasi.core.models import AuditEvent
from verifikasi.front.scale_history import ScaleHistory
from verifikasi.front.scale_load import bulk_load
from verifikasi.front.scale_seed import scale_seed
from verifikasi.registrations.models import Document, Registration

TABLES = [model._meta.db_table for model in (User, Registration, Document, AuditEvent)]


class Command(BaseCommand):
    help = (
        "PostgreSQL only, for measuring: fill an EMPTY database with a national-scale load "
        "(default 10^6 registrations across 650 offices, with staff, vendors, documents as "
        "rows without files, and their history in the audit chain) in one to two minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--registrations", type=int, default=1_000_000)
        parser.add_argument("--offices", type=int, default=650)
        parser.add_argument("--no-vacuum", action="store_true",
                            help="skip VACUUM ANALYZE of the filled tables afterwards")

    def handle(self, *args, registrations, offices, no_vacuum, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "seed_scale needs PostgreSQL (it fills the database with generate_series); "
                f"DATABASE_URL points to {connection.vendor}. For SQLite, bench/queue_page.py "
                "fills a smaller queue through the ORM.")
        if registrations < 1 or offices < 1 or offices > 999:
            raise CommandError("--registrations must be at least 1 and --offices 1 to 999")
        if Registration.objects.exists():
            raise CommandError(
                "seed_scale fills an empty database only (this one has registrations): "
                "create a new database for it, never run it against real data.")
        started = time.perf_counter()
        password = secrets.token_urlsafe(12)
        history = ScaleHistory()
        with transaction.atomic(), bulk_load(TABLES) as unchecked:
            seeded = scale_seed(registrations=registrations, offices=offices,
                                now=timezone.now(), staff_password=password,
                                totp_secret=generate_totp_secret(), alongside=history.run)
            rows_at = time.perf_counter()
        written = time.perf_counter()
        if not no_vacuum:
            with connection.cursor() as cursor:
                for table in TABLES:
                    cursor.execute(f"VACUUM ANALYZE {table}")
        done = time.perf_counter()
        h = history.seconds
        self.stdout.write(
            f"seeded {seeded.registrations:,} registrations in {seeded.offices} offices "
            f"({seeded.staff:,} staff, {seeded.vendors:,} vendors, {seeded.documents:,} "
            f"documents, {history.events:,} audit events) in {done - started:.1f} s "
            f"(rows and history {rows_at - started:.1f} s, of which history: export "
            f"{h['export']:.1f} s, chained in a thread {h['chain']:.1f} s CPU beside the "
            f"documents, waited for {h['wait']:.1f} s, COPY {h['copy']:.1f} s; "
            f"indexes and commit {written - rows_at:.1f} s, vacuum {done - written:.1f} s)\n"
            f"largest office: {seeded.largest_office}; staff log in as "
            f"verifikator1@{seeded.largest_office}.lpse.test (ketua@… for the coordinator) "
            f"with password {seeded.staff_password} and TOTP secret {seeded.totp_secret}"
            + ("" if unchecked else "\n(not a superuser: foreign keys were checked row by row)"))
