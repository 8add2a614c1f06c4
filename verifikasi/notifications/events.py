"""Sentences for this app's audit events (see ``core.event_text``)."""

from django.utils.translation import gettext_lazy as _

from verifikasi.core.event_text import register

register({
    "email.resent": _("Email dikirim ulang oleh petugas"),
    "email.failed": _("Email gagal terkirim"),
    "email.attachment_downloaded": _("Lampiran email diunduh petugas"),
    "office_message.saved": _("Teks email kantor diubah oleh Admin LPSE"),
    "office_message.reverted": _("Teks email kantor dikembalikan ke teks bawaan"),
})
