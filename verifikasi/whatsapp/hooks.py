"""Where this app plugs into notifications (which never imports it)."""

from verifikasi.notifications.office_templates import whatsapp_names_provider
from verifikasi.notifications.services import email_queued_hook
from verifikasi.notifications.views import outbox_panel

from .messages import MESSAGES
from .models import WhatsAppMessage, WhatsAppSettings
from .services import whatsapp_copy_email

email_queued_hook(whatsapp_copy_email)


@whatsapp_names_provider
def whatsapp_template_names(office) -> list[tuple[str, str]]:
    """Each WhatsApp message's label and the template name this office uses for it, shown
    read-only on *Teks email* (the office renames them in Admin → Pengaturan WhatsApp)."""
    names = (WhatsAppSettings.objects.filter(office=office)
             .values_list("template_names", flat=True).first()) or {}
    return [(m.label, names.get(m.key) or m.default_template) for m in MESSAGES]


@outbox_panel
def whatsapp_outbox(office) -> dict | None:
    """The office's WhatsApp copies, under the emails in the (demo) outbox."""
    rows = list(WhatsAppMessage.objects.filter(office=office).only(
        "code", "key", "to", "template_name", "status", "created_at", "attempts",
        "last_error")[:200])
    if not rows:
        return None
    return {"template": "whatsapp/_outbox_panel.html", "rows": rows}
