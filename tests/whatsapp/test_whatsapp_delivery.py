"""WhatsApp copies of key emails, delivered through a fake Cloud API over HTTP (issue 20).

The copy is an outbox row written with its email, sent by the worker as an
approved template (language ``id``), retried after a refused connection or an
HTTP 5xx, and never sent twice: a call whose outcome is unknown is left
"tidak pasti" for an admin.
"""

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
import time_machine
from cryptography.fernet import Fernet
from django.db import transaction
from django.utils import timezone

from tests.conftest import run_worker
from tests.whatsapp.conftest import PHONE
from verifikasi.core.models import AuditEvent
from verifikasi.core.retention_policy import retention_apply
from verifikasi.notifications.models import OutboundEmail
from verifikasi.notifications.services import email_queue
from verifikasi.whatsapp.models import MessageStatus, WhatsAppMessage, WhatsAppSettings
from verifikasi.whatsapp.services import (
    ERR_NOT_CONFIGURED,
    whatsapp_contact_set,
    whatsapp_flag_uncertain,
    whatsapp_resend,
)


def queue_revision_email(registration):
    return email_queue(template="revision_requested", to=registration.vendor.email,
                       office=registration.office,
                       context={"registration": registration, "deficiencies": []})


def queue_reminder(registration, kind):
    start = timezone.now() + timedelta(hours=1 if kind == "1h" else 24)
    appointment = SimpleNamespace(start=start, end=start + timedelta(minutes=30))
    return email_queue(template="appointment_reminder", to=registration.vendor.email,
                       office=registration.office,
                       context={"registration": registration, "appointment": appointment,
                                "kind": kind, "countdown": "besok", "join_url": ""})


@pytest.mark.usefixtures("whatsapp_office", "opted_in")
class TestDelivery:
    def test_it_sends_the_office_template_in_id_with_the_parameters(
            self, registration, fake_whatsapp):
        email = queue_revision_email(registration)
        row = WhatsAppMessage.objects.get()
        assert (row.email, row.key, row.status) == (email, "revision_requested",
                                                    MessageStatus.QUEUED)
        assert fake_whatsapp.requests == []  # queued, not sent in the request

        run_worker()
        run_worker()

        [call] = fake_whatsapp.sent()
        assert call.headers["authorization"].startswith("Bearer ")
        assert call.json == {
            "messaging_product": "whatsapp", "recipient_type": "individual",
            "to": PHONE.lstrip("+"), "type": "template",
            "template": {
                "name": "verifikasi_perbaikan_dokumen", "language": {"code": "id"},
                "components": [{"type": "body", "parameters": [
                    {"type": "text", "text": "Budi Santoso"},
                    {"type": "text", "text": "CV Maju Jaya"},
                    {"type": "text", "text": "http://testserver/pendaftaran/"},
                ]}],
            },
        }
        row.refresh_from_db()
        assert row.status == MessageStatus.ACCEPTED and row.wamid.startswith("wamid.")
        assert row.attempts == 1

    def test_it_uses_the_template_name_the_office_set(self, registration, fake_whatsapp,
                                                      office):
        WhatsAppSettings.objects.filter(office=office).update(
            template_names={"revision_requested": "perbaikan_ketapang"})
        queue_revision_email(registration)
        run_worker()
        assert fake_whatsapp.sent()[0].json["template"]["name"] == "perbaikan_ketapang"

    def test_each_reminder_goes_out_as_its_own_template_with_the_time(
            self, registration, fake_whatsapp):
        queue_reminder(registration, "24h")
        queue_reminder(registration, "1h")
        run_worker()
        sent = {c.json["template"]["name"]: c.json["template"]["components"][0]["parameters"]
                for c in fake_whatsapp.sent()}
        assert set(sent) == {"verifikasi_pengingat_24_jam", "verifikasi_pengingat_1_jam"}
        when = sent["verifikasi_pengingat_1_jam"][1]["text"]
        assert re.fullmatch(r"(Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu), \d{1,2} "
                            r"(Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|"
                            r"Oktober|November|Desember) \d{4} \d{2}\.\d{2} WIB", when), when

    def test_an_email_not_in_the_table_has_no_copy(self, registration):
        email_queue(template="documents_accepted", to=registration.vendor.email,
                    office=registration.office, context={"registration": registration})
        assert not WhatsAppMessage.objects.exists()

    def test_a_rolled_back_act_queues_neither_email_nor_copy(self, registration):
        with pytest.raises(RuntimeError), transaction.atomic():
            queue_revision_email(registration)
            raise RuntimeError("the act failed")
        assert not OutboundEmail.objects.exists() and not WhatsAppMessage.objects.exists()

    def test_it_retries_after_a_500_and_then_sends_once(self, registration, fake_whatsapp,
                                                        settings):
        fake_whatsapp.fail_next(500)
        queue_revision_email(registration)
        with time_machine.travel(timezone.now(), tick=False) as traveller:
            run_worker()
            row = WhatsAppMessage.objects.get()
            assert row.status == MessageStatus.QUEUED and row.attempts == 1
            assert row.next_attempt_at == row.last_attempt_at + timedelta(
                seconds=settings.WHATSAPP_RETRY_BASE_SECONDS)
            assert "HTTP 500" in row.last_error
            run_worker()  # not due yet
            assert len(fake_whatsapp.requests) == 1
            traveller.move_to(row.next_attempt_at)
            run_worker()
        row.refresh_from_db()
        assert row.status == MessageStatus.ACCEPTED and row.attempts == 2
        assert [c.status for c in fake_whatsapp.requests] == [500, 200]

    def test_a_refused_template_fails_for_good_and_is_audited(self, registration,
                                                              fake_whatsapp):
        fake_whatsapp.fail_next(400)
        queue_revision_email(registration)
        run_worker()
        row = WhatsAppMessage.objects.get()
        assert row.status == MessageStatus.FAILED and "HTTP 400" in row.last_error
        assert AuditEvent.objects.filter(action="whatsapp.failed").count() == 1
        assert len(fake_whatsapp.requests) == 1

    def test_a_call_without_an_answer_is_uncertain_and_never_resent(
            self, registration, fake_whatsapp, admin_user):
        fake_whatsapp.stall_next()
        queue_revision_email(registration)
        run_worker()
        row = WhatsAppMessage.objects.get()
        assert row.status == MessageStatus.UNCERTAIN
        assert "ReadTimeout" in row.last_error
        with time_machine.travel(timezone.now() + timedelta(hours=2)):
            run_worker()
            whatsapp_flag_uncertain()
        assert len(fake_whatsapp.requests) == 1
        assert AuditEvent.objects.filter(action="whatsapp.uncertain").count() == 1
        # An admin who checked that it did not arrive sends it again, by hand.
        assert whatsapp_resend(message=row, actor=admin_user)
        run_worker()
        row.refresh_from_db()
        assert row.status == MessageStatus.ACCEPTED
        assert len(fake_whatsapp.sent()) == 1

    def test_a_worker_that_died_mid_call_leaves_it_uncertain_not_resent(
            self, registration, fake_whatsapp):
        queue_revision_email(registration)
        row = WhatsAppMessage.objects.get()
        # What a worker does just before the call; then it is killed.
        WhatsAppMessage.objects.filter(pk=row.pk).update(
            status=MessageStatus.SENDING, attempts=1, last_attempt_at=timezone.now())
        run_worker()  # the task comes back (task recovery): nothing to claim
        with time_machine.travel(timezone.now() + timedelta(minutes=11)):
            assert whatsapp_flag_uncertain() == 1
            run_worker()
        row.refresh_from_db()
        assert row.status == MessageStatus.UNCERTAIN
        assert fake_whatsapp.requests == []

    def test_opting_out_stops_the_messages(self, registration, vendor, fake_whatsapp):
        whatsapp_contact_set(user=vendor, phone="", opted_in=False)
        queue_revision_email(registration)
        run_worker()
        assert not WhatsAppMessage.objects.exists() and fake_whatsapp.requests == []
        assert AuditEvent.objects.filter(action="whatsapp.opted_out").count() == 1


class TestDisabled:
    @pytest.mark.usefixtures("opted_in")
    def test_nothing_is_queued_without_settings(self, registration):
        queue_revision_email(registration)
        assert not WhatsAppMessage.objects.exists()

    @pytest.mark.usefixtures("opted_in")
    def test_nothing_is_queued_when_settings_are_disabled_or_incomplete(
            self, registration, office, fake_whatsapp):
        fake_whatsapp.configure(office, enabled=False)
        queue_revision_email(registration)
        fake_whatsapp.configure(office, enabled=True, access_token="")
        queue_revision_email(registration)
        assert not WhatsAppMessage.objects.exists()

    @pytest.mark.usefixtures("opted_in")
    def test_a_copy_queued_before_the_office_disabled_it_is_not_sent(
            self, registration, office, fake_whatsapp):
        fake_whatsapp.configure(office)
        queue_revision_email(registration)
        WhatsAppSettings.objects.filter(office=office).update(enabled=False)
        run_worker()
        row = WhatsAppMessage.objects.get()
        assert (row.status, row.last_error) == (MessageStatus.FAILED, ERR_NOT_CONFIGURED)
        assert fake_whatsapp.requests == []

    @pytest.mark.usefixtures("whatsapp_office")
    def test_a_vendor_who_never_opted_in_gets_no_copy(self, registration):
        queue_revision_email(registration)
        assert not WhatsAppMessage.objects.exists()


@pytest.mark.usefixtures("whatsapp_office", "opted_in")
def test_the_text_goes_with_the_email_bodies_retention(registration, office):
    office.retention_outbox_body_days = 30
    office.save()
    queue_revision_email(registration)
    queue_revision_email(registration)
    old, young = WhatsAppMessage.objects.order_by("pk")
    WhatsAppMessage.objects.filter(pk=old.pk).update(
        status=MessageStatus.DELIVERED, status_at=timezone.now() - timedelta(days=31))
    WhatsAppMessage.objects.filter(pk=young.pk).update(
        status=MessageStatus.DELIVERED, status_at=timezone.now() - timedelta(days=29))
    assert retention_apply()["outbox_body"] == 1
    old.refresh_from_db()
    young.refresh_from_db()
    assert old.parameters == [] and old.to == PHONE and old.template_name
    assert young.parameters == ["Budi Santoso", "CV Maju Jaya", "http://testserver/pendaftaran/"]
    assert retention_apply()["outbox_body"] == 0


@pytest.mark.usefixtures("whatsapp_office", "opted_in")
def test_a_secret_no_key_can_decrypt_never_stops_the_email(registration, settings):
    settings.ENCRYPTION_KEYS = [Fernet.generate_key().decode()]  # the old key was dropped
    email = queue_revision_email(registration)
    assert OutboundEmail.objects.filter(pk=email.pk).exists()
    assert WhatsAppMessage.objects.get().email == email
