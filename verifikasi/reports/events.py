"""Sentences for this app's audit events (see ``core.event_text``)."""

from django.utils.translation import gettext_lazy as _

from verifikasi.core.event_text import register

register({
    "report.viewed": _("Laporan kantor dibuka"),
    "report.exported": _("Tabel laporan kantor diunduh: %(table)s (%(format)s)"),
})
