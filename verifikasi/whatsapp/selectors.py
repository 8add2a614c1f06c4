from django.db.models import Q

from .models import MessageStatus, WhatsAppMessage, WhatsAppSettings


def whatsapp_health(now) -> dict:
    """For /healthz: configured or not, and the last failure (no number, no text)."""
    active = [s for s in WhatsAppSettings.objects.filter(enabled=True) if s.is_configured]
    last = (WhatsAppMessage.objects
            .filter(status__in=[MessageStatus.FAILED, MessageStatus.UNCERTAIN])
            .filter(~Q(status_at=None)).order_by("-status_at")
            .values_list("status_at", "status").first())
    return {
        "ok": True,
        "configured": bool(active),
        "offices": len(active),
        "sending": WhatsAppMessage.objects.filter(status=MessageStatus.SENDING).count(),
        "last_failure": last[0].isoformat() if last else None,
        "last_failure_status": last[1] if last else None,
    }
