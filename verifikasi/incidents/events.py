"""Sentences for this app's audit events (see ``core.event_text``)."""

from django.utils.translation import gettext_lazy as _

from verifikasi.core.event_text import register

register({
    "incident.recorded": _("Insiden data pribadi dicatat"),
    "incident.updated": _("Catatan insiden data pribadi diubah"),
    "incident.viewed": _("Catatan insiden data pribadi dibuka"),
    "incident.people_notice_saved": _("Draf pemberitahuan kepada orang terdampak disimpan"),
    "incident.people_notified": _("Pemberitahuan insiden dikirim kepada orang terdampak"),
    "incident.authority_notice_saved": _("Draf pemberitahuan kepada lembaga disimpan"),
    "incident.authority_notice_downloaded": _("Surat pemberitahuan kepada lembaga diunduh"),
    "incident.authority_notified": _("Pemberitahuan kepada lembaga dicatat terkirim"),
    "incident.register_exported": _("Register insiden diekspor"),
})
