"""Sentences for this app's audit events (see ``core.event_text``)."""

from django.utils.translation import gettext_lazy as _

from verifikasi.core.event_text import register

register({
    "certificate.issued": _("Tanda Lulus Verifikasi diterbitkan"),
    "certificate.downloaded": _("Tanda Lulus Verifikasi diunduh"),
    "certificate.receipt_confirmed": _("Penerimaan Tanda Lulus Verifikasi dikonfirmasi"),
    "certificate.revoked": _("Tanda Lulus Verifikasi dicabut"),
})
