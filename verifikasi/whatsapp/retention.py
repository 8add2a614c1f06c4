"""WhatsApp copies follow their emails' retention (``outbox_body``): once done for that
long, a message keeps its metadata (to, template, status) but not its text parameters
(the vendor's name, company, times)."""

from django.db.models import Q

from verifikasi.core.retention_policy import Destroyed, per_office, retention_applier

from .models import MessageStatus as M
from .models import WhatsAppMessage

DONE = [M.ACCEPTED, M.SENT, M.DELIVERED, M.READ, M.FAILED, M.UNCERTAIN]


@retention_applier("outbox_body")
def whatsapp_parameters_delete(*, now) -> list[Destroyed]:
    def work(office, cutoff):
        return (WhatsAppMessage.objects
                .filter(Q(status_at__lt=cutoff) | Q(status_at=None, created_at__lt=cutoff),
                        office=office, status__in=DONE)
                .exclude(parameters=[]).update(parameters=[]))
    return per_office("outbox_body", now, work, channel="whatsapp")
