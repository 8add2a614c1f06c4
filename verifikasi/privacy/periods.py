"""How long each kind of data about a vendor is kept, in one place.

``retention_classes(office)`` states, for every class the "Data saya" page and the
answer to a deletion request name, why it is held and for how long, from the
office's periods in the one retention table (core.retention_policy) for documents and
copies of one's data, and the office's recording period.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from verifikasi.core.retention_policy import retention_days
from verifikasi.meetings.providers import meeting_settings_for


def export_lifetime(office) -> timedelta:
    """How long a copy of one's data stays downloadable (the office's rights_export period)."""
    return timedelta(days=retention_days("rights_export", office) or 7)

BASIS_TASK = _("Pelaksanaan tugas pelayanan publik pengadaan barang/jasa (UU PDP Pasal 20 "
               "ayat 2 huruf d) dan persetujuan Anda (Pasal 20 ayat 2 huruf a).")
BASIS_ARCHIVE = _("Kewajiban hukum kantor menyimpan arsip pengadaan (UU PDP Pasal 20 ayat 2 "
                  "huruf c; jadwal retensi arsip, Perka ANRI 13/2016).")
BASIS_REQUEST = _("Memenuhi permintaan Anda (UU PDP Pasal 7 dan Pasal 14).")


@dataclass(frozen=True)
class RetentionClass:
    key: str
    label: str
    purpose: str
    basis: str
    period: str
    days: int | None  # None: as long as the record itself is kept


def retention_classes(office) -> dict[str, RetentionClass]:
    doc_days = retention_days("documents", office)
    rec_days = meeting_settings_for(office).retention_days
    export_days = export_lifetime(office).days
    rows = [
        RetentionClass(
            "account", _("Akun"), _("Masuk ke sistem dan melihat status pendaftaran Anda."),
            BASIS_TASK, _("Selama akun digunakan dan catatan verifikasi Anda masih disimpan."),
            None),
        RetentionClass(
            "company", _("Data perusahaan"),
            _("Mencocokkan data dengan dokumen dan menerbitkan tanda lulus (tata cara B.2, "
              "C.3, C.6)."),
            BASIS_ARCHIVE,
            _("Tetap tercatat sebagai arsip verifikasi; NIK dihapus %(days)s hari setelah "
              "pendaftaran ditutup.") % {"days": doc_days},
            doc_days),
        RetentionClass(
            "documents", _("Dokumen persyaratan (Lampiran 1)"),
            _("Memeriksa kelengkapan dan keabsahan (tata cara C.3)."), BASIS_TASK,
            _("%(days)s hari setelah pendaftaran selesai, dibatalkan, ditolak atau gugur; lalu "
              "berkas dimusnahkan, hanya catatan jenis, versi dan sidik SHA-256 yang tersisa.")
            % {"days": doc_days}, doc_days),
        RetentionClass(
            "recordings", _("Rekaman video call"),
            _("Bukti pelaksanaan verifikasi (tata cara C.5)."), BASIS_TASK,
            _("%(days)s hari sejak direkam, lalu dimusnahkan.") % {"days": rec_days},
            rec_days),
        RetentionClass(
            "certificate", _("Tanda lulus verifikasi"),
            _("Bukti kelulusan yang dapat diperiksa siapa pun di halaman cek tanda lulus."),
            BASIS_ARCHIVE, _("Selama tanda lulus dapat diperiksa, sebagai arsip kantor."),
            None),
        RetentionClass(
            "consent", _("Catatan persetujuan"),
            _("Membuktikan persetujuan Anda atas pemberitahuan privasi (UU PDP Pasal 22)."),
            BASIS_ARCHIVE, _("Selama catatan pendaftarannya disimpan."), None),
        RetentionClass(
            "emails", _("Email yang dikirim kepada Anda"),
            _("Bukti pemberitahuan yang dikirim dan pengiriman ulang bila gagal."), BASIS_TASK,
            _("Selama catatan pendaftarannya disimpan."), None),
        RetentionClass(
            "audit", _("Jejak audit"),
            _("Mencatat siapa melihat atau mengubah data Anda, untuk keamanan dan "
              "pertanggungjawaban."), BASIS_ARCHIVE,
            _("Tidak dihapus: jejak audit bersifat tambah-saja dan berantai."), None),
        RetentionClass(
            "requests", _("Permintaan data dan salinan data"),
            _("Mencatat permintaan Anda dan jawabannya (UU PDP Pasal 14)."), BASIS_REQUEST,
            _("Catatan permintaan disimpan sebagai arsip; berkas salinan data dihapus %(days)s "
              "hari setelah siap.") % {"days": export_days}, export_days),
    ]
    return {row.key: row for row in rows}
