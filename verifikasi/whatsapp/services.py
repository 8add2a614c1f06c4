"""WhatsApp copies of key emails: opt-in, queue, deliver exactly once, track status.

A copy is an outbox row written in the transaction that queues its email (the
notifications hook), delivered by the worker. The Cloud API has no idempotency
key, so a call whose outcome is unknown (timeout after the request left, or a
worker that died mid-call) is never repeated automatically: the row becomes
"tidak pasti" and an admin decides whether to send it again.
"""

import logging
from datetime import timedelta

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verifikasi.core.audit import audit_log
from verifikasi.core.queue import enqueue

from . import transport
from .messages import BY_KEY, message_parameters, messages_for
from .models import MessageStatus as M
from .models import WhatsAppContact, WhatsAppMessage, WhatsAppSettings

logger = logging.getLogger(__name__)

TASK = "verifikasi.whatsapp.tasks.whatsapp_deliver"
ERR_PHONE = _("Nomor WhatsApp tidak valid. Tulis nomor Indonesia, misalnya 0812 3456 7890 "
              "atau +62 812 3456 7890.")
ERR_NOT_CONFIGURED = "WhatsApp is not configured or not enabled for this office"
# A row still "sending" after this long has lost its worker mid-call.
STALE_SENDING = timedelta(minutes=10)
# Later webhook statuses never step a message back (they may arrive out of order).
RANK = {M.ACCEPTED: 0, M.SENT: 1, M.DELIVERED: 2, M.READ: 3}


def phone_e164(value: str) -> str:
    """An Indonesian mobile number as E.164 (+62…), or ``ValidationError``."""
    try:
        parsed = phonenumbers.parse(value or "", "ID")
    except phonenumbers.NumberParseException:
        raise ValidationError(ERR_PHONE, code="phone") from None
    if (parsed.country_code != 62 or not phonenumbers.is_valid_number(parsed)
            or phonenumbers.number_type(parsed) not in (phonenumbers.PhoneNumberType.MOBILE,
                                                        phonenumbers.PhoneNumberType
                                                        .FIXED_LINE_OR_MOBILE)):
        raise ValidationError(ERR_PHONE, code="phone")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def masked(e164: str) -> str:
    """For the audit log: enough to recognise the number, not to call it."""
    return e164[:6] + "*" * max(len(e164) - 9, 0) + e164[-3:] if len(e164) > 9 else "***"


def whatsapp_contact_set(*, user, phone: str, opted_in: bool, request=None) -> WhatsAppContact:
    """The vendor gives (or changes) their number and opts in or out, explicitly.

    Opting out keeps the number (for opting in again) unless the field is cleared,
    which deletes it.
    """
    number = phone_e164(phone) if opted_in or phone else ""
    now = timezone.now()
    with transaction.atomic():
        contact = WhatsAppContact.objects.select_for_update().filter(user=user).first()
        was_in = bool(contact and contact.opted_in)
        if contact is None:
            if not opted_in:
                return WhatsAppContact(user=user)  # no number, no consent: nothing to keep
            contact = WhatsAppContact(user=user)
        if not opted_in and not number:
            # Opted out with the number cleared: nothing about it is kept.
            contact.delete()
            if was_in:
                audit_log(action="whatsapp.opted_out", actor=user,
                          office=getattr(user, "office", None), request=request,
                          details={"phone": masked(contact.phone)})
            return WhatsAppContact(user=user)
        contact.phone = number or contact.phone
        contact.opted_in = opted_in
        if contact.opted_in and not was_in:
            contact.opted_in_at = now
        if was_in and not contact.opted_in:
            contact.opted_out_at = now
        contact.save()
        if contact.opted_in != was_in or contact.opted_in:
            audit_log(action="whatsapp.opted_in" if contact.opted_in else "whatsapp.opted_out",
                      actor=user, office=getattr(user, "office", None), obj=contact,
                      request=request, details={"phone": masked(contact.phone)})
    return contact


def whatsapp_copy_email(email, context: dict) -> list[WhatsAppMessage]:
    """Hook: the email just queued also goes out on WhatsApp to recipients who opted in."""
    wanted = messages_for(email.template, context)
    if not wanted or email.office_id is None:
        return []
    # Read without decrypting the secrets: a key problem must not stop the email's act.
    active = (WhatsAppSettings.objects.filter(office_id=email.office_id, enabled=True)
              .exclude(phone_number_id="").exclude(access_token="").exclude(app_secret="")
              .values_list("language_code", "template_names").first())
    if active is None:
        return []
    language, template_names = active
    contacts = WhatsAppContact.objects.filter(
        user__email__in=[address.lower() for address in email.to], opted_in=True,
    ).select_related("user")
    created = []
    for contact in contacts:
        for message in wanted:
            row = WhatsAppMessage.objects.create(
                office_id=email.office_id, user=contact.user, email=email, key=message.key,
                to=contact.phone, language=language,
                template_name=template_names.get(message.key) or message.default_template,
                parameters=message_parameters(message, context),
            )
            enqueue(TASK, row.pk)
            created.append(row)
    return created


def retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=settings.WHATSAPP_RETRY_BASE_SECONDS * (2 ** max(attempts - 1, 0)))


def whatsapp_deliver(*, message_id: int) -> str:
    """Send one queued template message at most once per claim.

    The row is marked "sending" (committed) before the call, so a worker that
    dies during the call leaves it "sending", and a re-run of the task finds
    nothing to claim.
    """
    row = WhatsAppMessage.objects.filter(pk=message_id).select_related("office").first()
    if row is None:
        return "skipped"
    office_settings = WhatsAppSettings.objects.filter(office_id=row.office_id).first()
    if office_settings is None or not office_settings.is_active:
        WhatsAppMessage.objects.filter(pk=message_id, status=M.QUEUED).update(
            status=M.FAILED, last_error=ERR_NOT_CONFIGURED, next_attempt_at=None)
        return "failed"
    claimed = WhatsAppMessage.objects.filter(pk=message_id, status=M.QUEUED).update(
        status=M.SENDING, attempts=F("attempts") + 1, last_attempt_at=timezone.now())
    if not claimed:
        return "skipped"  # sent, failed, uncertain, or taken by another worker
    row.refresh_from_db()
    result = transport.send_template(
        base_url=office_settings.api_base_url, phone_number_id=office_settings.phone_number_id,
        access_token=office_settings.access_token,
        payload=transport.template_payload(to=row.to, template_name=row.template_name,
                                           language=row.language, parameters=row.parameters))
    now = timezone.now()
    if result.outcome == "accepted":
        WhatsAppMessage.objects.filter(pk=row.pk).update(
            status=M.ACCEPTED, wamid=result.wamid, status_at=now, last_error="",
            next_attempt_at=None)
        return "accepted"
    if result.outcome == "uncertain":
        _uncertain(row, result.error)
        return "uncertain"
    if result.outcome == "retry" and row.attempts < settings.WHATSAPP_MAX_ATTEMPTS:
        with transaction.atomic():
            next_at = now + retry_delay(row.attempts)
            WhatsAppMessage.objects.filter(pk=row.pk).update(
                status=M.QUEUED, last_error=result.error, next_attempt_at=next_at)
            enqueue(TASK, row.pk, run_after=next_at)
        logger.warning("whatsapp %s attempt %s failed: %s", row.code, row.attempts, result.error)
        return "retry"
    with transaction.atomic():
        WhatsAppMessage.objects.filter(pk=row.pk).update(
            status=M.FAILED, last_error=result.error, next_attempt_at=None, status_at=now)
        audit_log(action="whatsapp.failed", office=row.office, obj=row,
                  details={"key": row.key, "attempts": row.attempts, "error": result.error})
    return "failed"


def _uncertain(row: WhatsAppMessage, error: str) -> None:
    with transaction.atomic():
        WhatsAppMessage.objects.filter(pk=row.pk).update(
            status=M.UNCERTAIN, last_error=error, next_attempt_at=None, status_at=timezone.now())
        audit_log(action="whatsapp.uncertain", office=row.office, obj=row,
                  details={"key": row.key, "error": error})
    logger.error("whatsapp %s: outcome unknown, not resent: %s", row.code, error)


def whatsapp_flag_uncertain() -> int:
    """Upkeep: a message left "sending" by a worker that died becomes "tidak pasti"."""
    count = 0
    cutoff = timezone.now() - STALE_SENDING
    for row in WhatsAppMessage.objects.filter(status=M.SENDING, last_attempt_at__lt=cutoff):
        if WhatsAppMessage.objects.filter(pk=row.pk, status=M.SENDING).update(
                status=M.UNCERTAIN, last_error="the worker stopped during the call",
                status_at=timezone.now()):
            audit_log(action="whatsapp.uncertain", office=row.office, obj=row,
                      details={"key": row.key, "error": "worker stopped during the call"})
            count += 1
    return count


def whatsapp_resend(*, message: WhatsAppMessage, actor=None, request=None) -> bool:
    """An admin sends a failed or uncertain message again (having checked it did not arrive)."""
    with transaction.atomic():
        updated = WhatsAppMessage.objects.filter(
            pk=message.pk, status__in=[M.FAILED, M.UNCERTAIN],
        ).update(status=M.QUEUED, attempts=0, next_attempt_at=None, wamid="")
        if not updated:
            return False
        enqueue(TASK, message.pk)
        audit_log(action="whatsapp.resent", actor=actor, office=message.office, obj=message,
                  request=request, details={"key": message.key})
    return True


def whatsapp_statuses_apply(*, office, payload: dict) -> int:
    """Apply a signed webhook's delivery statuses to this office's messages; count changes."""
    changed = 0
    for status in _statuses(payload):
        wamid, name = status.get("id"), status.get("status")
        if not isinstance(wamid, str) or name not in (M.SENT, M.DELIVERED, M.READ, M.FAILED):
            continue
        with transaction.atomic():
            row = (WhatsAppMessage.objects.select_for_update()
                   .filter(office=office, wamid=wamid).first())
            if row is None or not _moves_forward(row.status, name):
                continue
            errors = status.get("errors") if isinstance(status.get("errors"), list) else []
            error = "; ".join(f"{e.get('code', '')} {e.get('title', '')}".strip()
                              for e in errors if isinstance(e, dict))[:2000]
            row.status, row.status_at = name, timezone.now()
            if error:
                row.last_error = error
            row.save(update_fields=["status", "status_at", "last_error"])
            audit_log(action=f"whatsapp.{name}", office=office, obj=row,
                      details={"key": row.key, "error": error} if error else {"key": row.key})
            changed += 1
    return changed


def _statuses(payload: dict):
    for entry in payload.get("entry") or []:
        for change in (entry.get("changes") or []) if isinstance(entry, dict) else []:
            value = change.get("value") if isinstance(change, dict) else None
            for status in (value or {}).get("statuses") or [] if isinstance(value, dict) else []:
                if isinstance(status, dict):
                    yield status


def _moves_forward(current: str, new: str) -> bool:
    if current == new or current in (M.READ, M.FAILED):
        return False
    if new == M.FAILED:
        return True
    return RANK.get(new, -1) > RANK.get(current, -1)


def message_label(key: str) -> str:
    message = BY_KEY.get(key)
    return str(message.label) if message else key
