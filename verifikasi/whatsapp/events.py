"""Sentences for this app's audit events (see ``core.event_text``)."""

from django.utils.translation import gettext_lazy as _

from verifikasi.core.event_text import register

register({
    "whatsapp.opted_in": _("Bersedia menerima pemberitahuan WhatsApp"),
    "whatsapp.opted_out": _("Berhenti menerima pemberitahuan WhatsApp"),
    "whatsapp.failed": _("Pesan WhatsApp gagal terkirim"),
    "whatsapp.uncertain": _("Pesan WhatsApp tidak pasti terkirim"),
    "whatsapp.resent": _("Pesan WhatsApp dikirim ulang oleh petugas"),
    "whatsapp.sent": _("Pesan WhatsApp terkirim"),
    "whatsapp.delivered": _("Pesan WhatsApp sampai"),
    "whatsapp.read": _("Pesan WhatsApp dibaca"),
})
