"""Durable email: render, store, deliver with retries (DESIGN: background work).

Every email the product sends goes through ``email_queue`` (or, for messages
another library renders, ``email_queue_message``): the message becomes an
``OutboundEmail`` row and a delivery task in the caller's transaction.
"""

import logging
import mimetypes
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage, EmailMultiAlternatives, mailers
from django.db import transaction
from django.db.models import F, Q
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation

from verifikasi.core.audit import audit_log
from verifikasi.core.models import WorkerHeartbeat
from verifikasi.core.queue import enqueue
from verifikasi.core.recovery import lease
from verifikasi.core.worker import current_worker_id

from .models import EmailStatus, OutboundEmail
from .office_templates import office_message_render

logger = logging.getLogger(__name__)

EMAIL_TASK = "verifikasi.notifications.tasks.email_deliver"

# A worker that dies mid-delivery leaves a row in SENDING. It is handed back to
# the queue (delivery may then repeat at most once) as soon as the claiming
# worker's heartbeat has expired (WORKER_LEASE_SECONDS), or, for a row no known
# worker claimed, after this long.
STALE_SENDING = timedelta(minutes=10)


# Other channels that copy some emails (WhatsApp) register here; each hook runs
# in the transaction that queues the email, so both are stored or neither is.
_QUEUED_HOOKS: list[Callable[[OutboundEmail, dict], None]] = []


def email_queued_hook(func: Callable[[OutboundEmail, dict], None]) -> Callable:
    """Register ``func(email, context)``, called for every templated email queued."""
    if func not in _QUEUED_HOOKS:
        _QUEUED_HOOKS.append(func)
    return func


def _reply_to(office) -> list[str]:
    return [office.reply_to_email] if office is not None and office.reply_to_email else []


def render_plain_text(template_name: str, context: dict) -> str:
    """Render a template whose output is plain text (a subject line): no HTML escaping.

    ``render_to_string`` escapes for HTML, so "CV Maju & Sejahtera" would arrive
    as "CV Maju &amp; Sejahtera" in the recipient's subject line.
    """
    return get_template(template_name).template.render(Context(context, autoescape=False))


def email_queue(
    *,
    template: str,
    to: list[str] | str,
    context: dict,
    office=None,
    attachments: list[dict] | None = None,
    language: str | None = None,
) -> OutboundEmail:
    """Render ``emails/<template>/{subject.txt,body.txt,body.html}`` and queue it.

    When the office has its own text for this email (``OfficeMessage``), that text is
    rendered with the same context instead; the files are the defaults.

    The office's verifier team address is the Reply-To, as the procedure has
    vendors answer the team's mailbox (spec C.2: bpbj.verifikator@gmail.com).
    """
    recipients = [to] if isinstance(to, str) else list(to)
    context = {"office": office, "SITE_URL": settings.SITE_URL, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        # The office's own text for this email (Teks email), when it has one.
        custom = office_message_render(office=office, key=template, context=context)
        if custom is not None:
            subject, body_text, body_html = (custom["subject"], custom["body_text"],
                                             custom["body_html"])
        else:
            subject = render_plain_text(f"emails/{template}/subject.txt", context)
            body_text = render_to_string(f"emails/{template}/body.txt", context)
            body_html = render_to_string(f"emails/{template}/body.html", context)
    return _store_and_enqueue(
        OutboundEmail(
            office=office,
            template=template,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=recipients,
            reply_to=_reply_to(office),
            subject=" ".join(subject.split())[:255],
            body_text=body_text,
            body_html=body_html,
            attachments=attachments or [],
        ),
        context=context,
    )


def email_queue_message(*, message: EmailMessage, office=None, template: str = "",
                        confidential: bool = False) -> OutboundEmail:
    """Queue a message rendered elsewhere (allauth's account emails).

    A ``confidential`` message (an account email: its links act as the account
    holder) is never shown to staff and its text is deleted once delivered.
    """
    html = ""
    if isinstance(message, EmailMultiAlternatives):
        html = next((c for c, mime in message.alternatives if mime == "text/html"), "")
    if message.content_subtype == "html":
        html, text = message.body, ""
    else:
        text = message.body
    return _store_and_enqueue(
        OutboundEmail(
            office=office,
            template=template,
            confidential=confidential,
            from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
            to=list(message.to),
            reply_to=list(message.reply_to) or _reply_to(office),
            subject=" ".join(str(message.subject).split())[:255],
            body_text=text,
            body_html=html,
        )
    )


def _store_and_enqueue(email: OutboundEmail, context: dict | None = None) -> OutboundEmail:
    with transaction.atomic():
        email.save()
        # The task row lives in the same database, so it commits or rolls
        # back with the caller's transaction.
        enqueue(EMAIL_TASK, email.pk)
        if context is not None:
            for hook in _QUEUED_HOOKS:
                hook(email, context)
    return email


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after the given number of failed attempts."""
    return timedelta(seconds=settings.EMAIL_RETRY_BASE_SECONDS * (2 ** max(attempts - 1, 0)))


def message_id(email: OutboundEmail) -> str:
    """The message's Message-ID, the same on every attempt: ``<code@site-host>``.

    Should a delivery ever repeat (a worker killed between the server's 250 and
    the row's update), the recipient's mail system and the reader see the same
    message again, not a second one.
    """
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<{email.code}@{host}>"


def _build(email: OutboundEmail) -> EmailMultiAlternatives:
    msg = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=email.from_email,
        to=email.to,
        reply_to=email.reply_to or None,
        headers={"X-Verifikasi-Email": str(email.code), "Message-ID": message_id(email),
                 **email.headers},
    )
    if email.body_html:
        msg.attach_alternative(email.body_html, "text/html")
    for att in email.attachments:
        mimetype = att.get("mimetype") or mimetypes.guess_type(att["name"])[0]
        with default_storage.open(att["path"], "rb") as fh:
            msg.attach(att["name"], fh.read(), mimetype or "application/octet-stream")
    return msg


def email_deliver(*, email_id: int) -> str:
    """Send one queued email once; on failure schedule a retry or mark it failed."""
    now = timezone.now()
    claimed = OutboundEmail.objects.filter(pk=email_id, status=EmailStatus.QUEUED).update(
        status=EmailStatus.SENDING, attempts=F("attempts") + 1, last_attempt_at=now,
        claimed_by=current_worker_id(),
    )
    if not claimed:
        return "skipped"  # already sent, failed for good, or taken by another worker
    email = OutboundEmail.objects.get(pk=email_id)
    mailer = mailers.default
    try:
        message = _build(email)
        mailer.open()
        # Returns once the server has answered 250 to DATA: it has the message.
        mailer.send_messages([message])
    except Exception as e:
        # Any error is a failed attempt (SMTP refusal, network, a bad header or
        # a missing attachment): left in SENDING, the row would only come back
        # through the stale-sending upkeep, forever, never marked failed.
        _close(mailer)
        return _attempt_failed(email, f"{type(e).__name__}: {e}"[:2000])
    try:
        # Recorded before QUIT: a worker killed now, or a QUIT that fails, no
        # longer leaves an accepted message in SENDING to be sent again.
        _mark_sent(email)
    finally:
        _close(mailer)
    return "sent"


def _mark_sent(email: OutboundEmail) -> None:
    now = timezone.now()
    delivered = {"status": EmailStatus.SENT, "sent_at": now, "last_error": "",
                 "next_attempt_at": None}
    if email.confidential:
        # Delivered: the reset or confirmation link now lives only in the
        # recipient's mailbox, not in a table an administrator can read.
        delivered.update(body_text="", body_html="", body_deleted_at=now)
    OutboundEmail.objects.filter(pk=email.pk).update(**delivered)


def _close(mailer) -> None:
    """QUIT; the message is already accepted (or the attempt already failed)."""
    try:
        mailer.close()
    except Exception as e:
        logger.warning("closing the mail connection failed: %s: %s", type(e).__name__, e)


def _attempt_failed(email: OutboundEmail, error: str) -> str:
    """After a failed attempt: retry with backoff, or fail for good after the last one."""
    with transaction.atomic():
        if email.attempts >= settings.EMAIL_MAX_ATTEMPTS:
            OutboundEmail.objects.filter(pk=email.pk).update(
                status=EmailStatus.FAILED, last_error=error, next_attempt_at=None
            )
            audit_log(action="email.failed", office=email.office, obj=email,
                      details={"to": email.to, "attempts": email.attempts, "error": error})
            logger.error("email %s failed for good: %s", email.code, error)
            return "failed"
        next_at = timezone.now() + retry_delay(email.attempts)
        OutboundEmail.objects.filter(pk=email.pk).update(
            status=EmailStatus.QUEUED, last_error=error, next_attempt_at=next_at
        )
        enqueue(EMAIL_TASK, email.pk, run_after=next_at)
    logger.warning("email %s attempt %s failed: %s", email.code, email.attempts, error)
    return "retry"


def email_resend(*, email: OutboundEmail, actor=None, request=None) -> bool:
    """An admin sends a finally-failed (or any) message again, from a fresh attempt count.

    A message a worker is sending right now is left alone (returns False), so a
    resend can never race the delivery in progress into a duplicate; so is an
    account email whose text was deleted after delivery (there is nothing to send).
    """
    with transaction.atomic():
        updated = (
            OutboundEmail.objects.filter(pk=email.pk, body_deleted_at__isnull=True)
            .exclude(status=EmailStatus.SENDING)
            .update(status=EmailStatus.QUEUED, attempts=0, next_attempt_at=None)
        )
        if not updated:
            return False
        enqueue(EMAIL_TASK, email.pk)
        audit_log(action="email.resent", actor=actor, office=email.office, obj=email,
                  request=request, details={"to": email.to})
    return True


def email_requeue_stale() -> int:
    """Upkeep: give back to the queue messages whose worker died mid-delivery.

    A message whose last allowed attempt died that way fails for good (and is
    audited) instead, so a message that kills its worker cannot loop forever.
    """
    now = timezone.now()
    alive = WorkerHeartbeat.objects.filter(last_seen__gte=now - lease()).values("worker_id")
    stale = (
        Q(last_attempt_at__lt=now - STALE_SENDING)
        | (Q(last_attempt_at__lt=now - lease()) & ~Q(claimed_by="") & ~Q(claimed_by__in=alive))
    )
    count = 0
    for pk in OutboundEmail.objects.filter(stale, status=EmailStatus.SENDING).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            email = (
                OutboundEmail.objects.select_for_update()
                .filter(stale, pk=pk, status=EmailStatus.SENDING)
                .first()
            )
            if email is None:
                continue  # another worker got there first (and may be sending it now)
            if email.attempts >= settings.EMAIL_MAX_ATTEMPTS:
                _attempt_failed(email, "the worker stopped during delivery")
                continue
            OutboundEmail.objects.filter(pk=pk).update(status=EmailStatus.QUEUED)
            enqueue(EMAIL_TASK, pk)
            count += 1
    return count
