"""The audit log is append-only and hash-chained; tampering is detected."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from verifikasi.core.audit import audit_log, audit_verify
from verifikasi.core.models import AuditEvent


@pytest.fixture
def chain(office, vendor):
    return [
        audit_log(action=f"test.step{i}", actor=vendor, office=office, object_type="demo",
                  object_id=str(i), details={"i": i})
        for i in range(1, 6)
    ]


def test_it_links_each_event_to_the_previous_one(chain):
    assert [e.seq for e in chain] == [1, 2, 3, 4, 5]
    for before, after in zip(chain, chain[1:], strict=False):
        assert after.prev_hash == before.hash
    assert audit_verify().ok


def test_it_records_who_did_what(chain, vendor, office):
    event = AuditEvent.objects.get(seq=3)
    assert (event.actor, event.actor_email, event.actor_role, event.office) == (
        vendor, vendor.email, "vendor", office)
    assert (event.action, event.object_type, event.object_id, event.details) == (
        "test.step3", "demo", "3", {"i": 3})


def test_verify_audit_command_prints_ok(chain, capsys):
    call_command("verify_audit")
    assert "OK: 5 events" in capsys.readouterr().out


def test_it_detects_an_edited_row(chain):
    AuditEvent.objects.filter(seq=3).update(details={"i": 999})
    report = audit_verify()
    assert not report.ok
    assert "#3 was altered" in report.message
    with pytest.raises(CommandError, match="BROKEN: event #3"):
        call_command("verify_audit")


def test_it_detects_a_deleted_row(chain):
    AuditEvent.objects.filter(seq=2).delete()
    report = audit_verify()
    assert not report.ok
    assert "#2 is missing" in report.message


def test_it_detects_a_deleted_last_row(chain):
    AuditEvent.objects.filter(seq=5).delete()
    report = audit_verify()
    assert not report.ok
    assert "removed" in report.message


def test_it_detects_an_inserted_row(chain, vendor):
    # A forged event squeezed in, renumbering the later ones to hide the gap.
    for event in AuditEvent.objects.filter(seq__gte=3).order_by("-seq"):
        AuditEvent.objects.filter(pk=event.pk).update(seq=event.seq + 1)
    forged = AuditEvent(seq=3, created_at=chain[2].created_at, action="test.forged",
                        prev_hash=chain[1].hash, hash="f" * 64)
    forged.save()
    report = audit_verify()
    assert not report.ok
    assert "#3 was altered" in report.message


def test_it_detects_a_row_rehashed_without_relinking(chain):
    from verifikasi.core.audit import compute_hash

    event = AuditEvent.objects.get(seq=2)
    event.action = "test.rewritten"
    event.hash = compute_hash(event)
    event.save()
    report = audit_verify()
    assert not report.ok
    assert "#3 does not link" in report.message


def test_a_rolled_back_action_leaves_no_event(office):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        audit_log(action="test.doomed", office=office)
        raise RuntimeError
    assert not AuditEvent.objects.filter(action="test.doomed").exists()
    assert audit_verify().ok


def test_admins_can_read_but_never_change_the_audit_log(client, admin_user, chain):
    from django.urls import reverse

    from tests.conftest import login

    login(client, admin_user)
    assert client.get(reverse("admin:core_auditevent_changelist")).status_code == 200
    event = chain[0]
    delete = reverse("admin:core_auditevent_delete", args=[event.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    change = reverse("admin:core_auditevent_change", args=[event.pk])
    client.post(change, {"action": "forged"})
    assert audit_verify().ok


def test_an_event_in_a_transaction_takes_three_statements_and_no_savepoint(chain, office):
    """The tip is taken and numbered by one UPDATE ... RETURNING, the event inserted, the
    head given its link; no savepoint, so the event never commits without the act."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from verifikasi.core.models import AuditChainHead

    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        event = audit_log(action="test.counted", office=office)
    statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    assert statements == ["UPDATE", "INSERT", "UPDATE"]
    head = AuditChainHead.objects.get(pk=1)
    assert (event.seq, event.prev_hash) == (6, chain[-1].hash)
    assert (head.seq, head.hash) == (event.seq, event.hash)
    assert audit_verify().ok
