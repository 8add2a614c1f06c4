"""Where this app plugs into notifications (which never imports it)."""

from verifikasi.notifications.services import email_queued_hook
from verifikasi.notifications.views import outbox_panel

from .models import WhatsAppMessage
from .services import whatsapp_copy_email

email_queued_hook(whatsapp_copy_email)


@outbox_panel
def whatsapp_outbox(office) -> dict | None:
    """The office's WhatsApp copies, under the emails in the (demo) outbox."""
    rows = list(WhatsAppMessage.objects.filter(office=office).only(
        "code", "key", "to", "template_name", "status", "created_at", "attempts",
        "last_error")[:200])
    if not rows:
        return None
    return {"template": "whatsapp/_outbox_panel.html", "rows": rows}
