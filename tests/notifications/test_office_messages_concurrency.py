"""Two admins saving an email's first office text at once: PostgreSQL, one connection each.
One insert wins the unique constraint, the other updates that row; both are audited."""

import threading

import pytest
from django.db import connection

from verifikasi.core.models import AuditEvent
from verifikasi.notifications import office_templates as texts
from verifikasi.notifications.models import OfficeMessage


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_first_saves_at_once_leave_one_row_and_two_audited_changes(
        restore_seed_data, office, admin_user):
    assert connection.vendor == "postgresql"
    barrier = threading.Barrier(4)
    errors = []

    def worker(n):
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            texts.office_message_save(office=office, key="documents_accepted",
                                      subject=f"Subjek {n}", body=f"Isi {n}", actor=admin_user)
        except Exception as e:  # reported below
            errors.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert errors == []
    row = OfficeMessage.objects.get(office=office, key="documents_accepted")
    events = list(AuditEvent.objects.filter(action="office_message.saved").order_by("seq"))
    assert len(events) == 4
    assert events[0].details["old"] is None
    # Each later save saw the text the previous one stored: the history is a chain.
    for before, after in zip(events, events[1:], strict=False):
        assert after.details["old"] == before.details["new"]
    assert events[-1].details["new"] == {"subject": row.subject, "body": row.body}
