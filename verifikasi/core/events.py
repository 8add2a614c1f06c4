"""Sentences for this app's audit events (see ``core.event_text``)."""

from django.utils.translation import gettext_lazy as _

from verifikasi.core.event_text import register

register({
    "staff.created": _("Akun petugas dibuat"),
    "audit.rechained": _("Rantai jejak audit disusun ulang"),
    "retention.destroyed": _("Data dimusnahkan karena masa simpannya habis"),
})
