"""Sentences for this app's audit events (see ``core.event_text``)."""

from django.utils.translation import gettext_lazy as _

from verifikasi.core.event_text import register

register({
    "privacy.page_viewed": _("Halaman Data saya dibuka"),
    "privacy.export_requested": _("Salinan data pribadi diminta"),
    "privacy.export_ready": _("Salinan data pribadi siap diunduh"),
    "privacy.export_downloaded": _("Salinan data pribadi diunduh"),
    "privacy.export_expired": _("Salinan data pribadi dihapus karena masa berlakunya habis"),
    "privacy.request_received": _("Permintaan atas data pribadi diterima"),
    "privacy.request_viewed": _("Permintaan atas data pribadi dibuka petugas"),
    "privacy.request_answered": _("Permintaan atas data pribadi dijawab"),
    "privacy.request_reminded": _("Ketua tim diingatkan batas waktu permintaan data"),
    "privacy.documents_erased": _("Dokumen dihapus atas permintaan Pelaku Usaha"),
})
