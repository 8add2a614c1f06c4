"""Sentences for this app's audit events (see ``core.event_text``)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from verifikasi.core.event_text import register


def _document_reviewed(details: dict) -> str:
    from .models import Decision, DocumentType

    code = details.get("document_type") or ""
    name = (DocumentType.objects.filter(code=code).values_list("name", flat=True).first()
            or code or gettext("dokumen"))
    decision = details.get("decision")
    if decision == Decision.ACCEPTED:
        return gettext("Dokumen %(name)s diperiksa: sesuai") % {"name": name}
    if decision == Decision.NEEDS_FIX:
        return gettext("Dokumen %(name)s diperiksa: perlu perbaikan") % {"name": name}
    return gettext("Dokumen %(name)s diperiksa") % {"name": name}


def _field(details: dict, sentence) -> str:
    from .models import Registration

    name = details.get("field") or ""
    try:
        label = Registration._meta.get_field(name).verbose_name
    except Exception:  # an old event about a field that no longer exists
        label = name
    return str(sentence) % {"field": label}


register({
    # Lifecycle actions (registrations/workflow.py), written as "registration.<action>".
    "registration.created": _("Pendaftaran dibuat"),
    "registration.update_company": _("Data perusahaan diubah"),
    "registration.company_updated": _("Data perusahaan diubah"),
    "registration.give_consent": _("Persetujuan pemrosesan data pribadi diberikan"),
    "registration.consent_given": _("Persetujuan pemrosesan data pribadi diberikan"),
    "registration.upload_document": _("Dokumen diunggah"),
    "registration.propose_dates": _("Usulan jadwal verifikasi diubah"),
    "registration.submit": _("Pendaftaran diajukan untuk diperiksa"),
    "registration.take": _("Pendaftaran diambil verifikator untuk diperiksa"),
    "registration.taken": _("Pendaftaran diambil verifikator untuk diperiksa"),
    "registration.assign": _("Pendaftaran dialihkan ke verifikator lain"),
    "registration.assigned": _("Pendaftaran dialihkan ke verifikator lain"),
    "registration.review_document": _("Dokumen diperiksa"),
    "registration.request_revision": _("Hasil pemeriksaan dikirim: dokumen perlu diperbaiki"),
    "registration.resubmit": _("Perbaikan dokumen diajukan kembali"),
    "registration.accept_documents": _("Semua dokumen dinyatakan sesuai"),
    "registration.offer_other_date": _("Jadwal lain ditawarkan kepada Pelaku Usaha"),
    "registration.confirm_schedule": _("Jadwal verifikasi dikonfirmasi"),
    "registration.accept_offer": _("Pelaku Usaha menerima jadwal yang ditawarkan"),
    "registration.reschedule": _("Jadwal verifikasi diubah"),
    "registration.record_no_show": _("Pelaku Usaha tidak hadir pada jadwal verifikasi"),
    "registration.record_not_yet": _("Hasil verifikasi: belum memenuhi, perlu verifikasi ulang"),
    "registration.record_pass": _("Hasil verifikasi: memenuhi syarat"),
    "registration.record_spse_approval": _("Akun SPSE dinyatakan disetujui"),
    "registration.spse_approved": _("Akun SPSE dinyatakan disetujui"),
    "registration.countersign": _("Hasil verifikasi disahkan ketua tim"),
    "registration.countersigned": _("Hasil verifikasi disahkan ketua tim"),
    "registration.issue_certificate": _("Tanda Lulus Verifikasi diterbitkan dan dikirim"),
    "registration.reissue_certificate": _("Tanda Lulus Verifikasi diterbitkan ulang"),
    "registration.revoke_certificate": _("Tanda Lulus Verifikasi dicabut"),
    "registration.confirm_receipt": _("Pelaku Usaha mengonfirmasi penerimaan Tanda Lulus"),
    "registration.withdraw": _("Pendaftaran dibatalkan oleh Pelaku Usaha"),
    "registration.reject": _("Pendaftaran ditolak"),
    # Issue 20: the deficiency deadline; issue 19: the service-time summary.
    "registration.extend_deadline": _("Batas waktu perbaikan diperpanjang"),
    "registration.lapse": _("Pendaftaran gugur: batas waktu perbaikan lewat"),
    "registration.deadline_reminded": _("Pengingat batas waktu perbaikan dikirim"),
    "registration.sla_summary_sent": _("Ringkasan waktu pelayanan mingguan dikirim"),
    "registration.reopen_for_correction": _("Dibuka kembali untuk perbaikan data atas "
                                            "permintaan Pelaku Usaha"),
    "registration.field_flagged": lambda d: _field(d, _("Isian “%(field)s” ditandai salah")),
    "registration.field_unflagged": lambda d: _field(d, _("Tanda salah pada isian “%(field)s” "
                                                          "dihapus")),
    "registration.blacklist_checked": _("Daftar hitam diperiksa"),
    "registration.documents_expired": _("Dokumen dihapus karena masa simpannya habis"),
    "registration.receipt_reminded": _("Pengingat konfirmasi penerimaan dikirim"),
    "registration.duplicates_shown": _("Pendaftaran lain dengan NPWP, NIB atau NIK yang sama "
                                       "ditampilkan kepada verifikator"),
    "document.reviewed": _document_reviewed,
    "document.uploaded": _("Dokumen diunggah"),
    "document.checked": _("Dokumen yang diunggah lolos pemeriksaan berkas"),
    "document.refused": _("Dokumen yang diunggah ditolak pada pemeriksaan berkas"),
    "document.viewed": _("Dokumen dilihat"),
    "document.downloaded": _("Dokumen diunduh"),
    "document.pdf": _("Dokumen dibuka sebagai PDF"),
    "document.page_viewed": _("Halaman dokumen dilihat"),
    "document.nik_read": _("NIK pada KTP dibaca otomatis sebagai petunjuk bagi verifikator"),
})
