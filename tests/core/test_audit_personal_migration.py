"""The upgrade that brings the personal digest leaves a chain written before it intact."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from verifikasi.core.audit import GENESIS_HASH, audit_log, audit_verify, compute_hash
from verifikasi.core.models import AuditEvent
from verifikasi.core.retention_policy import retention_apply

UPGRADE = ("core", "0005_audit_personal_digest_retention_run")


def before_upgrade(executor) -> list[tuple[str, str]]:
    """The core migration(s) the upgrade follows, however it is numbered after merges."""
    return sorted(parent.key for parent in executor.loader.graph.node_map[UPGRADE].parents
                  if parent.key[0] == "core")


# serialized_rollback, as the other migration tests: the flush keeps content type ids.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_chain_written_before_the_upgrade_verifies_after_it_and_after_ip_removal(office):
    executor = MigrationExecutor(connection)
    before = before_upgrade(executor)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    OldEvent = old_apps.get_model("core", "AuditEvent")
    OldHead = old_apps.get_model("core", "AuditChainHead")
    head = OldHead.objects.get(pk=1)
    prev, seq = head.hash or GENESIS_HASH, head.seq
    for i, ip in enumerate(["203.0.113.1", "203.0.113.2"], start=1):
        event = OldEvent(seq=seq + i, created_at=timezone.now() - timedelta(days=400),
                         office_id=office.pk, action="old.event", object_type="demo",
                         object_id=str(i), ip=ip, details={"i": i}, prev_hash=prev)
        event.hash = compute_hash(event)  # the old model has no digest: the IP is linked
        event.save()
        prev = event.hash
    OldHead.objects.filter(pk=1).update(seq=seq + 2, hash=prev)
    links = list(OldEvent.objects.order_by("seq").values_list("hash", flat=True))

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert audit_verify().ok  # the upgrade re-links nothing and breaks nothing
    assert list(AuditEvent.objects.order_by("seq").values_list("hash", flat=True)) == links
    audit_log(action="new.event", office=office, object_type="demo", object_id="3")
    assert audit_verify().ok
    office.retention_ip_days = 30
    office.save()

    retention_apply()

    assert not AuditEvent.objects.filter(action="old.event", ip__isnull=False).exists()
    assert audit_verify().ok
