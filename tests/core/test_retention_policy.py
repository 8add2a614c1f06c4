"""Retention for every kind of data (issue 18): one table, one daily job, a logged count.

The job removes an old delivered email's body (its metadata stays) and old IP
addresses in the audit log and the consent record, leaves young ones, writes
each destruction with its count to the audit log, and the audit chain still
verifies afterwards, for events written before and after the personal digest.
"""

import re
from datetime import timedelta
from functools import partial
from pathlib import Path

import pytest
import time_machine
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from tests.conftest import run_worker
from tests.registrations.factories import make_registration
from verifikasi.core.audit import (
    GENESIS_HASH,
    audit_log,
    audit_rechain,
    audit_verify,
    compute_hash,
)
from verifikasi.core.models import AuditChainHead, AuditEvent, RetentionRun
from verifikasi.core.retention_policy import (
    DESTROYED_ACTION,
    RETENTION,
    retention_apply,
    retention_daily,
    retention_days,
    retention_table_markdown,
)
from verifikasi.notifications.models import EmailStatus, OutboundEmail
from verifikasi.notifications.services import email_queue
from verifikasi.registrations.models import Registration

DOCS = Path(__file__).resolve().parents[2] / "docs" / "operations.md"


def _sent_email(office, *, days_ago: int) -> OutboundEmail:
    email = email_queue(template="test_message", to="pu@example.test", office=office,
                        context={"recipient": "pu@example.test"})
    sent = timezone.now() - timedelta(days=days_ago)
    OutboundEmail.objects.filter(pk=email.pk).update(status=EmailStatus.SENT, sent_at=sent)
    email.refresh_from_db()
    return email


def _destroyed(key: str) -> list[AuditEvent]:
    return [e for e in AuditEvent.objects.filter(action=DESTROYED_ACTION)
            if e.details["data_class"] == key]


def _event(office, *, days_ago: int, ip: str, request_factory) -> AuditEvent:
    request = request_factory.get("/", REMOTE_ADDR=ip)
    with time_machine.travel(timezone.now() - timedelta(days=days_ago)):
        return audit_log(action="test.seen", office=office, object_type="demo",
                         object_id=ip, request=request)


def _as_written_before_the_digest():
    """Re-link every event the way the chain was written before the personal digest."""
    prev = GENESIS_HASH
    for event in AuditEvent.objects.order_by("seq"):
        event.prev_hash, event.personal_digest, event.personal_salt = prev, "", ""
        event.hash = compute_hash(event)
        AuditEvent.objects.filter(pk=event.pk).update(
            prev_hash=prev, personal_digest="", personal_salt="", hash=event.hash)
        prev = event.hash
    AuditChainHead.objects.filter(pk=1).update(hash=prev)


def test_it_removes_an_old_delivered_email_body_and_keeps_its_metadata(office, settings):
    office.retention_outbox_body_days = 30
    office.save()
    old = _sent_email(office, days_ago=31)
    young = _sent_email(office, days_ago=29)
    queued = email_queue(template="test_message", to="x@example.test", office=office,
                         context={})
    OutboundEmail.objects.filter(pk=queued.pk).update(created_at=timezone.now()
                                                      - timedelta(days=400))

    totals = retention_apply()

    old.refresh_from_db()
    assert (old.body_text, old.body_html, old.attachments) == ("", "", [])
    assert old.body_deleted_at is not None
    assert old.subject and old.to == ["pu@example.test"] and old.status == EmailStatus.SENT
    young.refresh_from_db()
    queued.refresh_from_db()
    assert young.body_text and queued.body_text  # too young / not delivered yet
    assert totals["outbox_body"] == 1
    [logged] = _destroyed("outbox_body")
    assert logged.office == office
    assert logged.details["count"] == 1 and logged.details["retention_days"] == 30
    assert retention_apply()["outbox_body"] == 0  # once


def test_it_removes_old_ips_and_logs_counts_and_the_chain_still_verifies(
        office, vendor, rf, settings):
    office.retention_ip_days = 90
    office.save()
    old = [_event(office, days_ago=100, ip=f"203.0.113.{i}", request_factory=rf)
           for i in range(1, 3)]
    young = _event(office, days_ago=10, ip="198.51.100.7", request_factory=rf)
    registration = make_registration(vendor, office, status="submitted")
    Registration.objects.filter(pk=registration.pk).update(
        consent_ip="203.0.113.9", consent_at=timezone.now() - timedelta(days=91))

    totals = retention_apply()

    for event in old:
        event.refresh_from_db()
        assert event.ip is None and event.personal_salt == "" and event.redacted_at
        assert event.personal_digest  # what the chain links stays
    young.refresh_from_db()
    assert young.ip == "198.51.100.7"
    registration.refresh_from_db()
    assert registration.consent_ip is None and registration.consent_at is not None
    assert totals["ip_address"] == 3
    counts = sorted(e.details["count"] for e in _destroyed("ip_address"))
    assert counts == [1, 2]
    assert {e.details["field"] for e in _destroyed("ip_address")} == {
        "core.AuditEvent.ip", "registrations.Registration.consent_ip"}
    assert audit_verify().ok
    call_command("verify_audit")


def test_ips_of_events_written_before_the_digest_go_too_and_anchors_still_hold(
        office, rf, settings):
    office.retention_ip_days = 30
    office.save()
    old = _event(office, days_ago=40, ip="203.0.113.5", request_factory=rf)
    _event(office, days_ago=1, ip="203.0.113.6", request_factory=rf)
    _as_written_before_the_digest()
    assert audit_verify().ok
    old.refresh_from_db()
    link_before = old.hash
    head = AuditChainHead.objects.get(pk=1)
    anchor = f"count={head.seq} head={head.hash}"

    retention_apply()

    old.refresh_from_db()
    assert old.ip is None and old.redaction_seal and old.hash == link_before
    assert audit_verify().ok
    call_command("verify_audit", anchor=anchor)  # the anchor taken before still holds


def test_verify_still_catches_a_changed_ip_and_a_changed_sealed_event(office, rf, settings):
    office.retention_ip_days = 30
    office.save()
    digest_event = _event(office, days_ago=1, ip="203.0.113.5", request_factory=rf)
    AuditEvent.objects.filter(pk=digest_event.pk).update(ip="203.0.113.99")
    report = audit_verify()
    assert not report.ok and "altered" in report.message
    AuditEvent.objects.filter(pk=digest_event.pk).update(ip="203.0.113.5")
    assert audit_verify().ok

    _event(office, days_ago=40, ip="203.0.113.6", request_factory=rf)
    _as_written_before_the_digest()
    retention_apply()
    sealed = AuditEvent.objects.exclude(redaction_seal="").get()
    AuditEvent.objects.filter(pk=sealed.pk).update(object_id="forged")
    with pytest.raises(CommandError, match="altered"):
        call_command("verify_audit")


def test_a_new_key_relinks_a_chain_with_removed_ips(office, rf, settings):
    office.retention_ip_days = 30
    office.save()
    _event(office, days_ago=40, ip="203.0.113.5", request_factory=rf)
    _as_written_before_the_digest()
    _event(office, days_ago=35, ip="203.0.113.6", request_factory=rf)
    retention_apply()
    old_key = settings.AUDIT_HMAC_KEY
    settings.AUDIT_HMAC_KEY = "a-brand-new-audit-hmac-key-0123456789abcdef"

    audit_rechain(old_hash_fn=partial(compute_hash, key=old_key))

    assert audit_verify().ok
    assert not AuditEvent.objects.exclude(redaction_seal="").exists()


def test_it_deletes_expired_sessions_only(db):
    old, live = SessionStore(), SessionStore()
    old.create()
    live.create()
    Session.objects.filter(session_key=old.session_key).update(
        expire_date=timezone.now() - timedelta(minutes=1))

    assert retention_apply()["sessions"] == 1

    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
    [logged] = _destroyed("sessions")
    assert logged.office is None and logged.details["count"] == 1


def test_old_registration_records_lose_names_and_contacts(vendor, other_vendor, office):
    office.retention_registration_days = 365
    office.save()
    old = make_registration(vendor, office, status="completed",
                            status_changed_at=timezone.now() - timedelta(days=366))
    young = make_registration(other_vendor, office, status="rejected", npwp="0013000666091001",
                              status_changed_at=timezone.now() - timedelta(days=300))

    retention_apply()

    old.refresh_from_db()
    young.refresh_from_db()
    assert (old.director_name, old.phone, old.email) == ("", "", "")
    assert old.company_name and old.npwp  # the archive keeps the company
    assert young.director_name and young.phone
    assert _destroyed("registration_record")[0].details["count"] == 1


def test_the_daily_job_is_queued_once_a_day_and_the_worker_runs_it(office):
    assert retention_daily() is True
    assert retention_daily() is False

    run_worker()

    run = RetentionRun.objects.get()
    assert run.finished_at is not None and set(run.totals) == set(RETENTION)


def test_every_data_class_has_its_applier_and_a_period(db):
    for key, data_class in RETENTION.items():
        assert data_class.appliers or data_class.optional or data_class.days() is None, key
    assert retention_days("documents", None) > 0
    assert retention_days("audit", None) is None  # kept as evidence


def test_operations_doc_shows_the_table_as_the_code_has_it():
    text = DOCS.read_text(encoding="utf-8")
    match = re.search(r"<!-- retention:table -->\n(.*?)\n<!-- /retention:table -->", text,
                      re.S)
    assert match, "docs/operations.md lacks the retention:table block"
    assert match[1].strip() == retention_table_markdown().strip(), (
        "docs/operations.md's retention table differs from core/retention_policy.py: paste "
        "the output of retention_table_markdown() between the markers")


def test_documents_follow_the_office_period_through_the_daily_job(vendor, office, settings):
    from tests.registrations.factories import add_all_documents

    settings.DOCUMENT_RETENTION_DAYS = 1825
    office.retention_document_days = 30
    office.save()
    old = make_registration(vendor, office, status="withdrawn",
                            status_changed_at=timezone.now() - timedelta(days=31))
    add_all_documents(old)

    assert retention_apply()["documents"] == 1

    [logged] = _destroyed("documents")
    assert logged.details["count"] == 1 and logged.details["retention_days"] == 30
    assert not old.documents.filter(purged_at__isnull=True).exists()


def test_the_command_prints_the_table_and_applies_it(db, capsys):
    call_command("retention")
    assert retention_table_markdown() in capsys.readouterr().out
    call_command("retention", "--apply")
    assert "outbox_body: 0" in capsys.readouterr().out


def test_expired_cache_rows_such_as_login_counters_go_too(db):
    from django.core.cache import cache

    with time_machine.travel(timezone.now() - timedelta(hours=2)):
        cache.set("allauth:rl:login_failed:ip:203.0.113.5", [1], timeout=60)
    cache.set("fresh", 1, timeout=3600)

    retention_apply()

    logged = [e for e in _destroyed("sessions") if e.details.get("table")]
    assert logged and logged[0].details["count"] == 1
    assert cache.get("fresh") == 1
