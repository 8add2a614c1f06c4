"""Meta's webhook: the verification handshake and signed delivery statuses (issue 20)."""

import json

import pytest
from django.urls import reverse

from tests.conftest import run_worker
from tests.fakes.whatsapp import APP_SECRET, VERIFY_TOKEN, FakeWhatsApp
from tests.whatsapp.test_whatsapp_delivery import queue_revision_email
from verifikasi.core.models import AuditEvent
from verifikasi.whatsapp.models import MessageStatus, WhatsAppMessage

URL = "/webhooks/whatsapp/"


def post(client, event, *, secret=APP_SECRET, signature=None):
    body = json.dumps(event).encode()
    return client.post(URL, body, content_type="application/json",
                       HTTP_X_HUB_SIGNATURE_256=signature or FakeWhatsApp.sign(body, secret))


@pytest.fixture
def accepted(whatsapp_office, opted_in, registration):
    queue_revision_email(registration)
    run_worker()
    row = WhatsAppMessage.objects.get()
    assert row.status == MessageStatus.ACCEPTED
    return row


def test_the_url_is_the_documented_one():
    assert reverse("whatsapp_webhook") == URL


@pytest.mark.usefixtures("whatsapp_office")
class TestHandshake:
    def test_it_answers_the_challenge_for_the_right_token(self, client):
        response = client.get(URL, {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN,
                                    "hub.challenge": "1158201444"})
        assert response.status_code == 200 and response.content == b"1158201444"

    @pytest.mark.parametrize("params", [
        {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1"},
        {"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"},
        {},
    ])
    def test_it_refuses_anything_else(self, client, params):
        assert client.get(URL, params).status_code == 403


class TestStatuses:
    def test_signed_statuses_move_the_message_forward_and_are_audited(self, client, accepted):
        for status in ("sent", "delivered", "read"):
            response = post(client, FakeWhatsApp.status_event(accepted.wamid, status))
            assert response.status_code == 200 and response.json() == {"updated": 1}
            accepted.refresh_from_db()
            assert accepted.status == status
        assert list(AuditEvent.objects.filter(action__in=[
            "whatsapp.sent", "whatsapp.delivered", "whatsapp.read"]).order_by("pk")
            .values_list("action", flat=True)) == [
            "whatsapp.sent", "whatsapp.delivered", "whatsapp.read"]

    def test_a_late_status_never_steps_back(self, client, accepted):
        post(client, FakeWhatsApp.status_event(accepted.wamid, "read"))
        response = post(client, FakeWhatsApp.status_event(accepted.wamid, "delivered"))
        assert response.json() == {"updated": 0}
        accepted.refresh_from_db()
        assert accepted.status == MessageStatus.READ

    def test_a_failed_status_keeps_meta_s_reason(self, client, accepted):
        post(client, FakeWhatsApp.status_event(accepted.wamid, "failed", errors=[
            {"code": 131026, "title": "Message undeliverable"}]))
        accepted.refresh_from_db()
        assert accepted.status == MessageStatus.FAILED
        assert accepted.last_error == "131026 Message undeliverable"

    @pytest.mark.parametrize("signature", [
        "sha256=" + "0" * 64, "", "sha1=abc", "forged"])
    def test_a_forged_signature_changes_nothing(self, client, accepted, signature):
        audit_count = AuditEvent.objects.count()
        event = FakeWhatsApp.status_event(accepted.wamid, "read")
        response = post(client, event, signature=signature or "none")
        assert response.status_code == 403
        response = post(client, event, secret="another-app-secret")
        assert response.status_code == 403
        accepted.refresh_from_db()
        assert accepted.status == MessageStatus.ACCEPTED
        assert AuditEvent.objects.count() == audit_count

    def test_a_status_for_another_office_s_message_is_ignored(self, client, accepted,
                                                              other_office, fake_whatsapp):
        fake_whatsapp.configure(other_office, app_secret="other-office-secret")
        response = post(client, FakeWhatsApp.status_event(accepted.wamid, "read"),
                        secret="other-office-secret")
        assert response.json() == {"updated": 0}
        accepted.refresh_from_db()
        assert accepted.status == MessageStatus.ACCEPTED

    @pytest.mark.usefixtures("whatsapp_office")
    @pytest.mark.parametrize("body", [b"not json", b"[1, 2]"])
    def test_a_signed_body_that_is_not_an_event_is_a_400(self, client, body):
        response = client.post(URL, body, content_type="application/json",
                               HTTP_X_HUB_SIGNATURE_256=FakeWhatsApp.sign(body))
        assert response.status_code == 400

    @pytest.mark.usefixtures("whatsapp_office")
    def test_odd_shapes_are_ignored_not_a_500(self, client):
        for event in ({"entry": "x"}, {"entry": [{"changes": [{"value": {"statuses": [
                {"id": 5, "status": "read"}, "x"]}}]}]}, {"entry": [None]}):
            assert post(client, event).json() == {"updated": 0}
