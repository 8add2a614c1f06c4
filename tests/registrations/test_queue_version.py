"""The queue's versions (models.QueueVersion) are replaced by database triggers on every
change of what the queue shows, however it is made: the ORM, QuerySet.update(), a delete,
raw SQL. On SQLite and on PostgreSQL (the suite runs on both)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.conftest import make_user
from tests.registrations.factories import make_registration
from verifikasi.accounts.models import Role, User
from verifikasi.registrations.models import Registration
from verifikasi.registrations.queue_memo import queue_versions
from verifikasi.scheduling.models import Availability, Closure

pytestmark = pytest.mark.django_db


def add(vendor, office, name):
    n = add.serial = getattr(add, "serial", 0) + 1
    return make_registration(vendor, office, status="submitted", company_name=name,
                             npwp=f"{n + 700:016d}", nib=f"{n + 700:013d}")


def office_version(office):
    return queue_versions(office.pk)[0]


def people_version():
    return queue_versions(0)[1]


class Watch:
    """Which of the versions changed since the last look."""

    def __init__(self, *offices):
        self.offices = offices
        self.seen = self._now()

    def _now(self):
        return [office_version(o) for o in self.offices] + [people_version()]

    def changed(self) -> list[bool]:
        now = self._now()
        changed = [a != b for a, b in zip(self.seen, now, strict=True)]
        self.seen = now
        return changed


def test_every_kind_of_write_to_a_registration_changes_its_office_only(
        vendor, office, other_office):
    watch = Watch(office, other_office)
    registration = make_registration(vendor, office, status="submitted")
    assert watch.changed() == [True, False, False]
    assert office_version(office) is not None
    registration.company_name = "CV Ganti Nama"
    registration.save()
    assert watch.changed() == [True, False, False]
    Registration.objects.filter(pk=registration.pk).update(company_name="CV Lewat Update")
    assert watch.changed() == [True, False, False]
    with connection.cursor() as cursor:  # a manual fix in SQL counts too
        cursor.execute(f"UPDATE {Registration._meta.db_table} SET nib = %s WHERE id = %s",  # noqa: S608
                       ["9999999999999", registration.pk])
    assert watch.changed() == [True, False, False]
    # Moved to another office: both queues change.
    Registration.objects.filter(pk=registration.pk).update(office=other_office)
    assert watch.changed() == [True, True, False]
    registration.refresh_from_db()
    registration.delete()
    assert watch.changed() == [False, True, False]
    # A statement that touches nothing changes nothing.
    Registration.objects.filter(pk=-1).update(company_name="x")
    assert watch.changed() == [False, False, False]


def test_a_bulk_statement_changes_each_office_it_touched(vendor, office, other_office):
    for n in range(3):
        add(vendor, office, f"CV A{n}")
        add(vendor, other_office, f"CV B{n}")
    watch = Watch(office, other_office)
    Registration.objects.filter(office=office).update(status_changed_at=timezone.now())
    assert watch.changed() == [True, False, False]
    Registration.objects.all().update(sla_due_on=timezone.localdate())
    assert watch.changed() == [True, True, False]


def test_people_shown_in_the_queue(vendor, office, verifier):
    watch = Watch(office)
    vendor.email = "baru@cvmaju.test"
    vendor.save()
    assert watch.changed() == [False, True]
    verifier.full_name = "Verifikator Baru"
    verifier.save(update_fields=["full_name"])
    assert watch.changed() == [False, True]
    User.objects.filter(pk=verifier.pk).update(is_active=False)
    assert watch.changed() == [False, True]
    User.objects.filter(pk=verifier.pk).update(role=Role.COORDINATOR)
    assert watch.changed() == [False, True]
    # What the queue does not show: the last login, the password, a save with no change.
    User.objects.filter(pk=vendor.pk).update(last_login=timezone.now())
    vendor.set_password("kata-sandi-lain-456")
    vendor.save()
    assert watch.changed() == [False, False]
    # A vendor signing up is not in any queue until they register; a new staff member is
    # in the coordinator's list at once; anyone removed is gone from it.
    newcomer = make_user("pendatang@cvbaru.test")
    assert watch.changed() == [False, False]
    make_user("verifikator2@lpse.test", Role.VERIFIER, office)
    assert watch.changed() == [False, True]
    newcomer.delete()
    assert watch.changed() == [False, True]


def test_the_office_working_days(office, other_office, coordinator):
    watch = Watch(office, other_office)
    today = timezone.localdate()
    closure = Closure.objects.create(office=office, start_date=today + timedelta(days=1),
                                     end_date=today + timedelta(days=2), note="Pelatihan",
                                     created_by=coordinator)
    assert watch.changed() == [True, False, False]
    closure.end_date = today + timedelta(days=3)
    closure.save()
    assert watch.changed() == [True, False, False]
    closure.delete()
    assert watch.changed() == [True, False, False]
    Availability.objects.create(office=other_office, observe_cuti_bersama=False)
    assert watch.changed() == [False, True, False]


def test_a_rolled_back_write_never_gives_a_version_again(vendor, office):
    # Random values, not a count: the version a rolled-back transaction wrote (which its
    # own requests may have seen) is not the next one written.
    from django.db import transaction

    add(vendor, office, "CV Awal")
    seen = set()
    for n in range(5):
        try:
            with transaction.atomic():
                add(vendor, office, f"CV R{n}")
                seen.add(office_version(office))
                raise RuntimeError
        except RuntimeError:
            pass
    add(vendor, office, "CV Tetap")
    assert office_version(office) not in seen
    assert len(seen) == 5


def test_the_triggers_write_the_model_table_and_refuse_other_databases():
    # The migrations' SQL names the table the model reads; on a database the triggers
    # are not written for, the migration stops instead of leaving the queue blind.
    from verifikasi.registrations import version_triggers as vt
    from verifikasi.registrations.models import QueueVersion

    assert QueueVersion._meta.db_table == vt.TABLE
    for build in (lambda v: vt.office_triggers(v, "registrations_registration", "x"),
                  lambda v: vt.people_triggers(v, "accounts_user", "y")):
        for vendor in ("sqlite", "postgresql"):
            create, drop = build(vendor)
            assert vt.TABLE in create[0]
            assert len(drop) >= len(vt.EVENTS)
        with pytest.raises(vt.UnsupportedDatabase, match="SQLite and PostgreSQL, not mysql"):
            build("mysql")
