"""Sentences for this app's audit events (see ``core.event_text``)."""

from django.utils.translation import gettext_lazy as _

from verifikasi.core.event_text import register

register({
    "meeting.scheduled": _("Rapat video dijadwalkan"),
    "meeting.created": _("Tautan rapat video dibuat"),
    "meeting.create_failed": _("Pembuatan rapat video gagal; akan dicoba lagi"),
    "meeting.retried": _("Pembuatan rapat video dicoba lagi"),
    "meeting.awaiting_link": _("Menunggu tautan rapat video diisi petugas"),
    "meeting.link_set": _("Tautan rapat video diisi petugas"),
    "meeting.updated": _("Waktu rapat video diperbarui"),
    "meeting.update_failed": _("Pembaruan rapat video gagal; akan dicoba lagi"),
    "meeting.rescheduled": _("Rapat video dipindahkan ke waktu baru"),
    "meeting.cancelled": _("Rapat video dibatalkan"),
    "meeting.deleted": _("Rapat video dihapus di penyedia"),
    "meeting.delete_failed": _("Penghapusan rapat video gagal; akan dicoba lagi"),
    "recording.uploaded": _("Rekaman verifikasi diunggah"),
    "recording.completed": _("Rekaman verifikasi tersedia di penyedia"),
    "recording.stored": _("Rekaman verifikasi disimpan"),
    "recording.store_failed": _("Penyimpanan rekaman gagal; akan dicoba lagi"),
    "recording.poll_gave_up": _("Rekaman tidak ditemukan di penyedia"),
    "recording.viewed": _("Rekaman verifikasi diputar"),
    "recording.downloaded": _("Rekaman verifikasi diunduh"),
    "recording.expired": _("Rekaman dihapus karena masa simpannya habis"),
})
