"""Every email the app sends, as the office admin sees it on "Teks email".

The key is the email's folder under ``templates/emails/``. Each entry says when the email
goes out and which variables its text may use, each with a sample value for the preview.
A test fails when an email folder has no entry here (or in ``NOT_EDITABLE``), so a new
email is catalogued before it ships.
"""

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

_WIB = ZoneInfo("Asia/Jakarta")
_START = datetime(2026, 12, 14, 9, 0, tzinfo=_WIB)
_END = datetime(2026, 12, 14, 9, 30, tzinfo=_WIB)


@dataclass(frozen=True)
class Var:
    """One documented variable: its dotted name, what it holds, a sample value.

    A list variable names the ``fields`` its items have; inside
    ``{% for x in name %}`` the text may use ``x.<field>`` (or ``x`` itself when it
    has no fields).
    """

    name: str
    label: object
    sample: object
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Message:
    key: str
    title: object
    when: object
    variables: tuple[Var, ...] = field(default_factory=tuple)


# Every email may use these: the office, the site address and the link to the home page.
COMMON = (
    Var("office.name", _("nama kantor LPSE"), "LPSE Kabupaten Ketapang"),
    Var("office.short_name", _("nama singkat kantor"), "LPSE Ketapang"),
    Var("office.phone", _("telepon kantor"), "0534-123456"),
    Var("office.reply_to_email", _("email tim verifikator"), "bpbj.verifikator@gmail.com"),
    Var("office.timezone_label", _("zona waktu kantor"), "WIB"),
    Var("SITE_URL", _("alamat situs"), "https://verifikasi.ketapangkab.go.id"),
    Var("home_url", _("tautan ke beranda penerima"),
        "https://verifikasi.ketapangkab.go.id/beranda/"),
)

COMPANY = Var("registration.company_name", _("nama perusahaan"), "CV Maju Jaya")
DIRECTOR = Var("registration.director_name", _("nama direktur/pimpinan"), "Budi Santoso")
NPWP = Var("registration.npwp", _("NPWP perusahaan"), "01.234.567.8-901.000")
REASON = Var("reason", _("alasan yang ditulis petugas"), "Dokumen NIB tidak sesuai.")
APPT_START = Var("appointment.start", _("mulai jadwal (pakai |date dan |time)"), _START)
APPT_END = Var("appointment.end", _("selesai jadwal"), _END)
PREV_START = Var("previous_start", _("mulai jadwal sebelumnya"), _START)
PREV_END = Var("previous_end", _("selesai jadwal sebelumnya"), _END)
SLOTS = Var("slots", _("daftar waktu (start, end)"),
            [{"start": _START, "end": _END}], ("start", "end"))
DEFICIENCIES = Var(
    "deficiencies", _("daftar kekurangan (subject, reasons, note)"),
    [{"subject": "NIB", "reasons": ["Dokumen tidak terbaca"], "note": "Unggah ulang"}],
    ("subject", "reasons", "note"))
CERT_NUMBER = Var("certificate.number", _("nomor tanda lulus"), "001/VD/LPSE-KTP/XII/2026")
RECEIPT_URL = Var("receipt_url", _("tautan konfirmasi penerimaan"),
                  "https://verifikasi.ketapangkab.go.id/tanda-terima/contoh/")
ITEMS = Var("items", _("dokumen yang diunggah"),
            [{"document_type": {"name": "KTP"},
              "latest": {"page_count": 1, "sha256": "3f2a9c0d41be7e55"}}],
            ("document_type.name", "latest.page_count", "latest.sha256"))
DEADLINE = Var("registration.revision_deadline", _("batas waktu perbaikan (pakai |date)"),
               _START.date())
COUNTDOWN = Var("countdown", _("sisa waktu (mis. tinggal 15 hari kerja)"),
                "tinggal 15 hari kerja")
KIND = Var("data_request.get_kind_display", _("jenis permintaan data"), "Penghapusan")
RECEIVED = Var("data_request.received_at", _("waktu permintaan diterima"), _START)

MESSAGES: tuple[Message, ...] = (
    Message("registration_submitted", _("Tanda terima pendaftaran"),
            _("Kepada Pelaku Usaha saat pendaftaran diajukan (B.6–B.8)."),
            (COMPANY, DIRECTOR, ITEMS)),
    Message("registration_submitted_staff", _("Pendaftaran baru untuk tim"),
            _("Kepada tim verifikator saat pendaftaran baru diajukan."),
            (COMPANY, NPWP, ITEMS)),
    Message("registration_resubmitted", _("Perbaikan diajukan kembali"),
            _("Kepada verifikator yang menangani saat Pelaku Usaha mengajukan perbaikan."),
            (COMPANY,)),
    Message("revision_requested", _("Perbaikan dokumen diperlukan"),
            _("Kepada Pelaku Usaha saat verifikator mengirim kekurangan (C.3)."),
            (COMPANY, DIRECTOR, DEFICIENCIES, DEADLINE, COUNTDOWN)),
    Message("documents_accepted", _("Dokumen lengkap"),
            _("Kepada Pelaku Usaha saat dokumen diterima (C.3)."), (COMPANY, DIRECTOR)),
    Message("registration_rejected", _("Pendaftaran ditolak"),
            _("Kepada Pelaku Usaha saat pendaftaran ditolak."), (COMPANY, DIRECTOR, REASON)),
    Message("appointment_confirmed", _("Jadwal dikonfirmasi"),
            _("Kepada Pelaku Usaha saat jadwal video call dikonfirmasi (B.8.a)."),
            (COMPANY, DIRECTOR, APPT_START, APPT_END,
             Var("cutoff_hours", _("batas jam ubah jadwal"), 24))),
    Message("appointment_confirmed_staff", _("Jadwal pengganti diterima (tim)"),
            _("Kepada tim saat Pelaku Usaha menerima jadwal pengganti."),
            (COMPANY, APPT_START, APPT_END)),
    Message("appointment_cancelled", _("Jadwal dibatalkan"),
            _("Kepada Pelaku Usaha saat jadwal dibatalkan."),
            (COMPANY, DIRECTOR, PREV_START, PREV_END, REASON)),
    Message("appointment_no_show", _("Tidak hadir pada video call"),
            _("Kepada Pelaku Usaha saat verifikator mencatat ketidakhadiran."),
            (COMPANY, DIRECTOR, Var("missed_start", _("mulai jadwal yang terlewat"), _START),
             Var("missed_end", _("selesai jadwal yang terlewat"), _END),
             Var("note", _("catatan petugas"), "Tidak bergabung sampai 15 menit."))),
    Message("appointment_offered", _("Jadwal pengganti ditawarkan"),
            _("Kepada Pelaku Usaha saat tim menawarkan waktu lain (B.8.b)."),
            (COMPANY, DIRECTOR, SLOTS)),
    Message("appointment_proposed_staff", _("Usulan jadwal (tim)"),
            _("Kepada tim saat Pelaku Usaha mengusulkan jadwal."),
            (COMPANY, SLOTS, Var("declined_offer", _("menolak tawaran tim (ya/tidak)"), True))),
    Message("appointment_reminder", _("Pengingat video call"),
            _("Kepada Pelaku Usaha sebelum video call."),
            (COMPANY, DIRECTOR, APPT_START, APPT_END,
             Var("countdown", _("kapan (mis. besok)"), "besok"),
             Var("join_url", _("tautan video call"), "https://meet.jit.si/contoh"))),
    Message("appointment_reschedule_requested_staff", _("Permintaan ubah jadwal (tim)"),
            _("Kepada tim saat Pelaku Usaha meminta ubah jadwal (C.8.b)."),
            (COMPANY, PREV_START, PREV_END, SLOTS, REASON)),
    Message("appointment_rescheduled", _("Jadwal diubah"),
            _("Kepada Pelaku Usaha saat jadwal diubah."),
            (COMPANY, DIRECTOR, PREV_START, PREV_END, SLOTS, REASON,
             Var("by_vendor", _("diminta oleh Pelaku Usaha (ya/tidak)"), False))),
    Message("meeting_invitation", _("Undangan video call"),
            _("Kepada Pelaku Usaha saat tautan video call siap (C.4)."),
            (COMPANY, DIRECTOR,
             Var("meeting.start_at", _("mulai video call"), _START),
             Var("meeting.end_at", _("selesai video call"), _END),
             Var("meeting.join_url", _("tautan video call"), "https://meet.jit.si/contoh"),
             Var("meeting.password", _("kode sandi rapat"), "123456"),
             Var("is_zoom", _("rapat Zoom (ya/tidak)"), False),
             Var("registration.represented", _("diwakili kuasa (ya/tidak)"), False),
             Var("checklist", _("dokumen asli yang disiapkan"),
                 [{"document_type": {"name": "KTP"}}], ("document_type.name",)))),
    Message("call_not_yet", _("Hasil video call: belum sesuai"),
            _("Kepada Pelaku Usaha saat hasil video call belum sesuai (C.8.a)."),
            (COMPANY, DIRECTOR, DEFICIENCIES, DEADLINE,
             Var("call.notes", _("catatan video call"), "Akta asli belum ditunjukkan."))),
    Message("revision_deadline_reminder", _("Pengingat batas waktu perbaikan"),
            _("Kepada Pelaku Usaha 3 dan 1 hari kerja sebelum batas waktu perbaikan."),
            (COMPANY, DIRECTOR, DEADLINE, COUNTDOWN)),
    Message("revision_deadline_extended", _("Batas waktu perbaikan diperpanjang"),
            _("Kepada Pelaku Usaha saat verifikator memperpanjang batas waktu (sekali)."),
            (COMPANY, DIRECTOR, DEADLINE, COUNTDOWN, REASON)),
    Message("registration_lapsed", _("Pendaftaran gugur"),
            _("Kepada Pelaku Usaha saat batas waktu perbaikan lewat tanpa pengajuan kembali."),
            (COMPANY, DIRECTOR, DEADLINE)),
    Message("certificate_issued", _("Tanda Lulus Verifikasi"),
            _("Kepada Pelaku Usaha saat tanda lulus terbit (C.6.b)."),
            (COMPANY, DIRECTOR, CERT_NUMBER, RECEIPT_URL)),
    Message("receipt_reminder", _("Pengingat konfirmasi penerimaan"),
            _("Kepada Pelaku Usaha yang belum mengonfirmasi penerimaan tanda lulus (C.7)."),
            (COMPANY, DIRECTOR, CERT_NUMBER, RECEIPT_URL)),
    Message("certificate_revoked", _("Tanda lulus dicabut"),
            _("Kepada Pelaku Usaha saat tanda lulus dicabut."),
            (DIRECTOR, CERT_NUMBER,
             Var("certificate.company_name", _("nama perusahaan pada tanda lulus"),
                 "CV Maju Jaya"),
             Var("certificate.revoked_at", _("waktu pencabutan"), _START),
             Var("category", _("kategori alasan"), "Data tidak benar"))),
    Message("certificate_revoked_staff", _("Tanda lulus dicabut (pimpinan)"),
            _("Kepada kepala kantor saat tanda lulus dicabut."),
            (CERT_NUMBER,
             Var("certificate.company_name", _("nama perusahaan pada tanda lulus"),
                 "CV Maju Jaya"),
             Var("certificate.revoked_at", _("waktu pencabutan"), _START),
             Var("certificate.revoke_reason", _("alasan pencabutan"), "Akta palsu."),
             Var("category", _("kategori alasan"), "Data tidak benar"),
             Var("revoked_by.email", _("email petugas yang mencabut"), "ketua@lpse.test"),
             Var("revoked_by.get_full_name", _("nama petugas yang mencabut"), "Ketua Tim"))),
    Message("privacy_export_ready", _("Salinan data siap diunduh"),
            _("Kepada pemilik data saat salinan datanya siap (UU PDP)."),
            (Var("user.get_full_name", _("nama pemilik data"), "Budi Santoso"),
             Var("export.expires_at", _("batas unduh"), _END))),
    Message("privacy_request_answered", _("Jawaban permintaan data"),
            _("Kepada pemohon saat permintaan data pribadinya dijawab (UU PDP)."),
            (KIND, RECEIVED,
             Var("data_request.get_decision_display", _("keputusan"), "Diterima"),
             Var("data_request.reason", _("alasan keputusan"), "Sesuai Pasal 8 UU PDP."),
             Var("data_request.requester.get_full_name", _("nama pemohon"), "Budi Santoso"),
             Var("accepted", _("diterima (ya/tidak)"), True),
             Var("data_request.field", _("kode data yang diminta dikoreksi"), "director_name"),
             Var("field_label", _("nama data yang diminta dikoreksi"), "nama direktur"),
             Var("outcome", _("hasil yang dilakukan"), "Nama direktur telah dikoreksi."),
             Var("plan", _("data yang dihapus atau tetap disimpan"),
                 [{"what": "Dokumen KTP", "why": "Masa simpan berakhir.",
                   "until": _END, "deleted_now": True}],
                 ("what", "why", "until", "deleted_now")))),
    Message("privacy_request_due", _("Permintaan data hampir jatuh tempo"),
            _("Kepada kepala kantor sehari sebelum batas 3×24 jam."),
            (KIND, RECEIVED, Var("data_request.deadline", _("batas waktu jawaban"), _END))),
    Message("survey_invitation", _("Undangan survei kepuasan (SKM)"),
            _("Kepada Pelaku Usaha sekali, saat pendaftarannya selesai atau ditolak."),
            (COMPANY, DIRECTOR,
             Var("survey_url", _("tautan survei (sekali pakai)"),
                 "https://verifikasi.ketapangkab.go.id/survei-kepuasan/isi/contoh/"))),
    Message("audit_anchor", _("Jangkar jejak audit harian"),
            _("Kepada kepala kantor setiap hari (bukti jejak audit)."),
            (Var("anchor.count", _("jumlah peristiwa"), 1234),
             Var("anchor.at", _("waktu jangkar"), _START),
             Var("anchor_line", _("baris jangkar"), "2026-12-14T09:00 1234 ab12…"))),
)

CATALOG: dict[str, Message] = {m.key: m for m in MESSAGES}

# Emails whose text is not the office's to edit, and why.
NOT_EDITABLE = {
    "incident_notice": _("Isi pemberitahuan insiden ditulis untuk setiap insiden."),
    "test_message": _("Pesan uji untuk pemeriksaan pengiriman."),
    "sla_summary": _("Ringkasan mingguan untuk Ketua Tim; isinya daftar pendaftaran yang "
                     "disusun dari antrean."),
}


def variables_of(message: Message) -> tuple[Var, ...]:
    return COMMON + message.variables
