"""manage.py seed_scale (issue 16): a national-scale load written by PostgreSQL itself.

At a small count: every row it writes is one the app accepts (model validation, the
identifier checks, the audit chain) and renders (the queue, the registration page)."""

import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.urls import reverse

from tests.conftest import login
from verifikasi.accounts.models import Role, User
from verifikasi.core.audit import audit_verify
from verifikasi.core.models import AuditEvent
from verifikasi.front.scale_seed import office_sizes
from verifikasi.offices.models import Office
from verifikasi.registrations import identifiers
from verifikasi.registrations.models import Document, Registration, RegistrationStatus

on_postgres = pytest.mark.postgres_only


@pytest.fixture
def seeded(db):
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
