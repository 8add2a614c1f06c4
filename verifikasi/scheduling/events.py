"""Sentences for this app's audit events (see ``core.event_text``)."""

from django.utils.translation import gettext_lazy as _

from verifikasi.core.event_text import register

register({
    "appointment.proposed": _("Pelaku Usaha mengusulkan jadwal verifikasi"),
    "appointment.offered": _("Tim verifikator menawarkan jadwal lain"),
    "appointment.confirmed": _("Jadwal verifikasi dikonfirmasi"),
    "appointment.rescheduled": _("Jadwal verifikasi diubah"),
    "appointment.no_show": _("Pelaku Usaha tidak hadir; jadwal baru perlu diusulkan"),
    "appointment.reopened": _("Jadwal dibuka kembali; jadwal baru perlu diusulkan"),
    "appointment.held": _("Panggilan video verifikasi telah berlangsung"),
    "appointment.cancelled": _("Jadwal verifikasi dibatalkan"),
    "appointment.reminder_sent": _("Pengingat jadwal verifikasi dikirim"),
    "scheduling.availability_updated": _("Jam layanan verifikasi diubah"),
    "scheduling.closure_added": _("Hari libur kantor ditambahkan"),
    "scheduling.closure_removed": _("Hari libur kantor dihapus"),
})
