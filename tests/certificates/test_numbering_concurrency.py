"""Certificate numbers under concurrency: PostgreSQL, one connection per thread."""

import threading

import pytest
from django.db import connection, transaction

from verifikasi.certificates.models import Certificate, CertificateSequence
from verifikasi.core.audit import audit_log

from .conftest import issue
from .test_numbering import verified_registration


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_issues_get_distinct_consecutive_numbers(restore_seed_data, office,
                                                          verifier):
    """Eight at once, half of them inside a transition that has already audited."""
    assert connection.vendor == "postgresql"
    registrations = [verified_registration(office, n, verifier) for n in range(1, 9)]
    barrier = threading.Barrier(len(registrations))
    results, errors = [], []

    def worker(registration_verified):
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                if registration_verified.pk % 2:
                    # As workflow.transition does: its audit event first, then the issue.
                    audit_log(action="registration.issue_certificate", obj=registration_verified)
                results.append(issue(registration_verified).seq)
        except Exception as e:  # reported below
            errors.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(r,)) for r in registrations]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert errors == []
    assert sorted(results) == list(range(1, 9))
    numbers = list(Certificate.objects.values_list("number", flat=True))
    assert len(set(numbers)) == 8
    year = Certificate.objects.values_list("year", flat=True).first()
    assert CertificateSequence.objects.get(office=office, year=year).last_value == 8
