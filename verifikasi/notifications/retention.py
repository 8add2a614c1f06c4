"""The outbox at the end of its period: delivered emails keep only their metadata.

Registered in core's retention table (core/retention_policy.py, ``outbox_body``).
The attachments are references to files of other data classes (the certificate,
calendar invites), which are destroyed by their own class; the reference goes here.
"""

from django.db.models import Q

from verifikasi.core.retention_policy import Destroyed, per_office, retention_applier

from .models import EmailStatus, OutboundEmail


def _strip(emails, *, now, cutoff) -> int:
    done = Q(status=EmailStatus.SENT, sent_at__lt=cutoff) | Q(
        status=EmailStatus.FAILED, last_attempt_at__lt=cutoff)
    return emails.filter(done, body_deleted_at__isnull=True).update(
        body_text="", body_html="", attachments=[], headers={}, body_deleted_at=now)


@retention_applier("outbox_body")
def outbox_bodies_delete(*, now) -> list[Destroyed]:
    """Bodies and attachment lists of emails delivered (or failed for good) N days ago."""
    def work(office, cutoff):
        done = Q(status=EmailStatus.SENT, sent_at__lt=cutoff) | Q(
            status=EmailStatus.FAILED, last_attempt_at__lt=cutoff)
        return OutboundEmail.objects.filter(done, office=office, body_deleted_at__isnull=True) \
            .update(body_text="", body_html="", attachments=[], headers={}, body_deleted_at=now)
    return per_office("outbox_body", now, work, officeless=True)
