"""manage.py seed_scale (issue 16): a national-scale load written by PostgreSQL itself,
on several connections at once.

At a small count: every row it writes is one the app accepts (model validation, the
identifier checks, the audit chain) and renders (the queue, the registration page); the
schema afterwards is the migrated one; a failure, or a seed killed half-way, leaves the
database as it was."""

import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from tests.conftest import login
from verifikasi.accounts.models import Role, User
from verifikasi.core.audit import audit_verify
from verifikasi.core.models import AuditChainHead, AuditEvent
from verifikasi.front import scale_load, scale_plan, scale_seed
from verifikasi.front.scale_seed import office_sizes
from verifikasi.offices.models import Office
from verifikasi.registrations import identifiers
from verifikasi.registrations.models import Document, Registration, RegistrationStatus


# The seed commits on connections of its own: the tests' database is flushed after each
# test (and the migrations' office put back), not rolled back.
def on_postgres(test):
    flushed = pytest.mark.django_db(transaction=True, serialized_rollback=True)
    return pytest.mark.postgres_only(flushed(test))


def schema():
    """Every index and constraint of the database, by table and name (with what a
    constraint says)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename, indexname FROM pg_indexes "
                       "WHERE schemaname = current_schema() ORDER BY 1, 2")
        indexes = cursor.fetchall()
        cursor.execute("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), "
                       "condeferrable, condeferred FROM pg_constraint "
                       "WHERE connamespace = current_schema()::regnamespace ORDER BY 1, 2")
        return indexes, cursor.fetchall()


def helper_tables():
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                       "AND tablename LIKE 'scale%%'")
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def migrated(transactional_db):
    return schema()


@pytest.fixture
def seeded(migrated):
    call_command("seed_scale", registrations=400, offices=4, no_vacuum=True, verbosity=0)
    return Registration.objects.all()


def test_office_sizes_add_up_and_fall_with_rank():
    sizes = office_sizes(1_000_000, 650)
    assert sum(sizes) == 1_000_000
    assert sizes == sorted(sizes, reverse=True)
    assert 50_000 < sizes[0] < 70_000  # the largest office: about 6 %


@on_postgres
def test_it_writes_every_kind_of_row(seeded):
    assert seeded.count() == 400
    assert Office.objects.filter(code__startswith="skala-").count() == 4
    assert set(seeded.values_list("status", flat=True)) == set(RegistrationStatus.values)
    staff = User.objects.filter(office__code__startswith="skala-")
    assert staff.filter(role=Role.COORDINATOR).count() == 4
    assert staff.filter(role=Role.VERIFIER).count() >= 8
    assert Document.objects.filter(registration__in=seeded).count() >= 3 * 300
    # Each registration is in its own office's hands only.
    assert not seeded.exclude(assigned_to=None).exclude(
        assigned_to__office=F("office")).exists()
    # Codes are hashed with a salt drawn for the run, not gen_random_uuid(): still
    # version 4 UUIDs (RFC 4122 variant), all different.
    codes = [*seeded.values_list("code", flat=True),
             *Document.objects.filter(registration__in=seeded).values_list("code", flat=True),
             *User.objects.filter(role=Role.VENDOR).values_list("code", flat=True)]
    assert {(code.version, code.variant) for code in codes} == {(4, uuid.RFC_4122)}
    assert len(set(codes)) == len(codes)


@on_postgres
def test_its_rows_pass_the_apps_own_checks(seeded):
    for registration in seeded.select_related("office"):
        registration.full_clean()
        if registration.director_nik:
            identifiers.nik_clean(registration.director_nik)
        if registration.represented:
            identifiers.nik_clean(registration.representative_nik)
        assert identifiers.npwp_clean(registration.npwp)[1:] == (registration.npwp_display, [])
        identifiers.nib_clean(registration.nib)
        identifiers.phone_clean(registration.phone)
    for document in Document.objects.filter(registration__in=seeded)[:200]:
        document.full_clean()


@on_postgres
def test_its_history_extends_the_audit_chain(seeded):
    report = audit_verify()
    assert report.ok, report.message
    submitted = seeded.exclude(status=RegistrationStatus.DRAFT).first()
    actions = list(AuditEvent.objects.filter(object_id=str(submitted.code))
                   .order_by("seq").values_list("action", flat=True))
    assert actions[0] == "registration.submit"


@on_postgres
def test_the_queue_and_each_status_render_for_seeded_rows(client, seeded):
    office = Office.objects.get(code="skala-001")
    verifier = User.objects.get(email="verifikator1@skala-001.lpse.test")
    login(client, verifier)
    response = client.get(reverse("staff_queue"), {"status": "all"})
    assert response.status_code == 200
    shown = list(response.context["page"])
    assert shown and {r.office_id for r in shown} == {office.pk}
    for status in RegistrationStatus.values:
        registration = seeded.filter(office=office, status=status).first() or \
            seeded.filter(status=status).first()
        login(client, User.objects.get(email=f"ketua@{registration.office.code}.lpse.test"))
        page = client.get(reverse("staff_review", args=[registration.code]))
        assert page.status_code == 200, status
        assert registration.company_name in page.content.decode()


@on_postgres
def test_it_refuses_a_database_that_has_registrations(seeded):
    with pytest.raises(CommandError, match="empty database"):
        call_command("seed_scale", registrations=10, offices=1, no_vacuum=True)


@pytest.mark.skipif("connection.vendor == 'postgresql'")
@pytest.mark.django_db
def test_it_refuses_sqlite_with_a_clear_message():
    assert connection.vendor == "sqlite"
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("seed_scale", registrations=10, offices=1)


@on_postgres
def test_the_schema_afterwards_is_the_migrated_one(migrated, seeded):
    assert schema() == migrated
    assert helper_tables() == []


@on_postgres
def test_a_failure_half_way_leaves_the_database_as_it_was(migrated, monkeypatch):
    head = AuditChainHead.objects.values_list("seq", "hash").get(pk=1)
    users, offices = User.objects.count(), Office.objects.count()
    real = scale_seed.write_documents

    def fail_in_the_second_range(cursor, lo, hi, salt):
        real(cursor, lo, hi, salt)
        if lo > 1:
            raise RuntimeError("disk full")
    monkeypatch.setattr(scale_seed, "write_documents", fail_in_the_second_range)
    with pytest.raises(RuntimeError, match="disk full") as failure:
        call_command("seed_scale", registrations=300, offices=3, jobs=2, no_vacuum=True,
                     verbosity=0)
    assert "in the step documents:1" in " ".join(failure.value.__notes__)
    assert not Registration.objects.exists() and not Document.objects.exists()
    assert (User.objects.count(), Office.objects.count()) == (users, offices)
    assert AuditChainHead.objects.values_list("seq", "hash").get(pk=1) == head
    assert audit_verify().ok
    assert schema() == migrated
    assert helper_tables() == []
    monkeypatch.undo()
    call_command("seed_scale", registrations=300, offices=3, no_vacuum=True, verbosity=0)
    assert Registration.objects.count() == 300


@on_postgres
def test_a_seed_killed_half_way_is_undone_when_the_next_one_starts(migrated, capsys):
    users = User.objects.count()
    # As if the process died after its first steps had committed: the marker, the
    # dropped indexes, the offices and staff, some vendors.
    plan = scale_plan.Plan(registrations=200, offices=2, now=timezone.now(),
                           staff_password="x" * 12, totp_secret="A" * 32)
    with transaction.atomic(), connection.cursor() as cursor:
        scale_plan.setup(cursor, plan)
        scale_seed.write_vendors(cursor, 1, 50, base=plan.vendor_base, now=plan.now,
                                 salt=plan.salt)
    assert schema() != migrated and User.objects.count() > users
    call_command("seed_scale", registrations=200, offices=2, no_vacuum=True, verbosity=0)
    assert "did not finish" in capsys.readouterr().err
    assert Registration.objects.count() == 200
    assert Office.objects.filter(code__startswith="skala-").count() == 2
    assert schema() == migrated
    assert audit_verify().ok


@on_postgres
def test_it_refuses_to_run_inside_a_transaction():
    with transaction.atomic(), pytest.raises(CommandError, match="outside a transaction"):
        call_command("seed_scale", registrations=10, offices=1)
    assert scale_load.pending(connection.cursor()) is None


@on_postgres
def test_without_superuser_the_indexes_are_rebuilt_before_the_rows_go(migrated):
    """A role that is not a superuser checks each deleted row's foreign keys: the undo
    rebuilds the indexes first (else a scan of the documents per registration)."""
    plan = scale_plan.Plan(registrations=200, offices=2, now=timezone.now(),
                           staff_password="x" * 12, totp_secret="A" * 32)
    with transaction.atomic(), connection.cursor() as cursor:
        scale_plan.setup(cursor, plan)
        scale_seed.write_vendors(cursor, 1, plan.vendors, base=plan.vendor_base,
                                 now=plan.now, salt=plan.salt)
        scale_seed.write_registrations(cursor, 1, 200, base=plan.registration_base,
                                       now=plan.now, vendor_base=plan.vendor_base,
                                       vendors=plan.vendors, salt=plan.salt)
        scale_seed.write_documents(cursor, plan.first_registration_id,
                                   plan.registration_base + 200, salt=plan.salt)
    assert Document.objects.exists()
    role = f"seed_tester_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        # A member of the tables' owner (so it may build their indexes), not a superuser.
        cursor.execute(f"CREATE ROLE {role} NOSUPERUSER")
        cursor.execute(f"GRANT {connection.settings_dict['USER'] or 'postgres'} TO {role}")
        try:
            with transaction.atomic():
                cursor.execute(f"SET LOCAL ROLE {role}")
                assert not scale_load.is_superuser(cursor)
                scale_load.undo(cursor, scale_load.pending(cursor))
        finally:
            cursor.execute(f"DROP ROLE {role}")
    assert not Registration.objects.exists() and not Document.objects.exists()
    assert not Office.objects.filter(code__startswith="skala-").exists()
    assert schema() == migrated
    assert helper_tables() == []
