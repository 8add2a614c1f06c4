"""Evidence that cannot be quietly rewritten (issue 13).

The chain is keyed (HMAC with AUDIT_HMAC_KEY, not in the database), so
rewriting every row and recomputing plain hashes fails ``verify_audit``; a daily
anchor leaves the database (a file, an email to each office head), and
``verify_audit --anchor`` catches even a rewrite made with the key.
"""

import importlib
from datetime import timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from tests.conftest import make_user, run_worker
from verifikasi.accounts.models import Role
from verifikasi.core.anchors import anchor_parse
from verifikasi.core.audit import (
    GENESIS_HASH,
    audit_log,
    audit_verify,
    compute_hash,
    legacy_hash,
)
from verifikasi.core.models import AuditAnchor, AuditChainHead, AuditEvent
from verifikasi.notifications.audit_anchor import audit_anchor_daily
from verifikasi.notifications.models import OutboundEmail


@pytest.fixture
def anchor_file(settings, tmp_path):
    # In a folder that does not exist yet: the first anchor creates it.
    settings.AUDIT_ANCHOR_FILE = str(tmp_path / "anchors" / "audit-anchors.txt")
    return tmp_path / "anchors" / "audit-anchors.txt"


@pytest.fixture
def chain(office, vendor):
    return [audit_log(action=f"test.step{i}", actor=vendor, office=office, object_type="demo",
                      object_id=str(i), details={"i": i}) for i in range(1, 6)]


def rewrite_history(hash_fn, *, change_seq=2):
    """What someone with write access to the database does: edit a row, then
    recompute and relink every hash after it, head included."""
    AuditEvent.objects.filter(seq=change_seq).update(details={"i": "forged"})
    prev = GENESIS_HASH
    for event in AuditEvent.objects.order_by("seq"):
        event.prev_hash = prev
        event.hash = hash_fn(event)
        AuditEvent.objects.filter(pk=event.pk).update(prev_hash=event.prev_hash,
                                                      hash=event.hash)
        prev = event.hash
    AuditChainHead.objects.filter(pk=1).update(hash=prev)


def verify(*args):
    call_command("verify_audit", *args)


class TestKeyedChain:
    def test_rewriting_every_row_with_plain_hashes_fails_verification(self, chain):
        rewrite_history(legacy_hash)

        report = audit_verify()
        assert not report.ok
        assert "#1 was altered" in report.message
        with pytest.raises(CommandError, match="BROKEN"):
            verify()

    def test_rewriting_with_another_key_fails_too(self, chain):
        rewrite_history(lambda e: compute_hash(e, key="a-guessed-key-" * 3))

        assert not audit_verify().ok

    def test_the_link_depends_on_the_key_from_the_environment(self, settings, chain):
        assert audit_verify().ok
        settings.AUDIT_HMAC_KEY = "another-deployment-key-0123456789abcdef"

        assert not audit_verify().ok


class TestUpgrade:
    def migration(self):
        return importlib.import_module(
            "verifikasi.core.migrations.0003_audit_hmac_chain_and_anchor")

    def test_the_migration_relinks_an_intact_plain_chain_with_the_key(self, chain, capsys):
        rewrite_history(legacy_hash, change_seq=0)  # as the previous release wrote it
        assert not audit_verify().ok

        self.migration().rechain_with_key(apps, SimpleNamespace(connection=connection))

        assert audit_verify().ok
        assert "5 events re-linked" in capsys.readouterr().out
        assert AuditEvent.objects.get(seq=3).details == {"i": 3}

    def test_the_migration_does_not_bless_a_broken_plain_chain(self, chain, capsys):
        rewrite_history(legacy_hash, change_seq=0)
        AuditEvent.objects.filter(seq=3).update(details={"i": "tampered"})
        before = list(AuditEvent.objects.values_list("hash", flat=True))

        self.migration().rechain_with_key(apps, SimpleNamespace(connection=connection))

        assert list(AuditEvent.objects.values_list("hash", flat=True)) == before
        assert "NOT re-linked" in capsys.readouterr().out

    def test_the_rechain_command_replaces_a_leaked_key(self, settings, chain, tmp_path):
        old_key = settings.AUDIT_HMAC_KEY
        (tmp_path / "old").write_text(old_key)
        settings.AUDIT_HMAC_KEY = "the-new-key-after-a-leak-0123456789abcdef"
        assert not audit_verify().ok

        call_command("audit_rechain", "--old-key-file", str(tmp_path / "old"))

        assert audit_verify().ok
        assert AuditEvent.objects.filter(action="audit.rechained").exists()

    def test_the_rechain_command_refuses_a_chain_broken_under_the_old_key(
        self, settings, chain, tmp_path
    ):
        (tmp_path / "old").write_text("not-the-key-it-was-written-with-0123456789")

        with pytest.raises(CommandError, match="REFUSED"):
            call_command("audit_rechain", "--old-key-file", str(tmp_path / "old"))


class TestDailyAnchor:
    def test_it_is_appended_to_the_file_and_emailed_to_each_office_head(
        self, anchor_file, chain, office, other_office, coordinator, verifier
    ):
        other_head = make_user("ketua@sambas.test", Role.COORDINATOR, other_office, totp=True)

        assert audit_anchor_daily() is True

        [anchor] = anchor_parse(anchor_file.read_text())
        assert (anchor.count, anchor.head) == (5, AuditEvent.objects.get(seq=5).hash)
        emails = OutboundEmail.objects.filter(template="audit_anchor")
        assert sorted(e.to[0] for e in emails) == sorted([coordinator.email, other_head.email])
        assert verifier.email not in [addr for e in emails for addr in e.to]
        assert all(anchor.line() in e.body_text for e in emails)

    def test_it_is_taken_once_a_day(self, anchor_file, chain, coordinator):
        assert audit_anchor_daily() is True
        assert audit_anchor_daily() is False
        assert len(anchor_file.read_text().splitlines()) == 1
        assert OutboundEmail.objects.filter(template="audit_anchor").count() == 1

        with time_machine.travel(timezone.now() + timedelta(days=1)):
            assert audit_anchor_daily() is True
        assert len(anchor_file.read_text().splitlines()) == 2

    def test_the_worker_upkeep_takes_it(self, anchor_file, chain, coordinator):
        run_worker()

        assert AuditAnchor.objects.filter(day=timezone.localdate()).exists()
        assert anchor_file.exists()


class TestVerifyAgainstAnchor:
    def test_an_untouched_chain_matches_its_anchors(self, anchor_file, chain, office, vendor,
                                                   capsys):
        audit_anchor_daily()
        audit_log(action="test.later", actor=vendor, office=office)

        verify("--anchor", str(anchor_file))

        assert "anchor" in capsys.readouterr().out

    def test_a_rewrite_made_with_the_key_is_caught_by_the_anchor(self, anchor_file, chain):
        audit_anchor_daily()
        [anchor] = anchor_parse(anchor_file.read_text())
        rewrite_history(compute_hash)  # whoever did this had the key

        verify()  # the chain alone looks fine...
        with pytest.raises(CommandError, match="#5 no longer has the anchored head"):
            verify("--anchor", str(anchor_file))
        with pytest.raises(CommandError, match="rewritten"):
            verify("--anchor", f"count={anchor.count} head={anchor.head}")

    def test_events_removed_after_the_anchor_are_caught(self, anchor_file, chain):
        audit_anchor_daily()
        last = AuditEvent.objects.get(seq=4)
        AuditEvent.objects.filter(seq=5).delete()
        AuditChainHead.objects.filter(pk=1).update(seq=4, hash=last.hash)

        verify()
        with pytest.raises(CommandError, match="before the anchor"):
            verify("--anchor", str(anchor_file))

    def test_it_says_when_there_is_no_anchor_in_what_it_was_given(self, chain):
        with pytest.raises(CommandError, match="no anchor found"):
            verify("--anchor", "bukan jangkar")
