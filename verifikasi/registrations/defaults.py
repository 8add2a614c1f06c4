"""The procedure's own lists, used to set up a new office (data migrations keep
their own copies, as migrations must not change when this file does)."""

# Lampiran 1: KELENGKAPAN DOKUMEN PERSYARATAN DAN VERIFIKASI PELAKU USAHA.
LAMPIRAN_1 = [
    ("ktp", "KTP", "KTP ASLI Direksi/Pejabat/Pimpinan Perusahaan/Pemilik Perusahaan", "always"),
    ("npwp", "NPWP",
     "NPWP ASLI Badan Usaha/Perusahaan Perorangan/Konsultan Perorangan", "always"),
    ("nib", "NIB", "Nomor Induk Berusaha ASLI Badan Usaha/Konsultan Perorangan", "always"),
    ("akta_pendirian", "Akta Pendirian Perusahaan",
     "Bagi Perseroan Perorangan untuk memperlihatkan Pemilik Perusahaan", "has_akta_pendirian"),
    ("akta_perubahan", "Akta Perubahan Perusahaan",
     "Bagi Perseroan Perorangan untuk memperlihatkan Pemilik Perusahaan Perubahan",
     "has_akta_perubahan"),
    ("surat_kuasa", "Surat Kuasa",
     "Jika pelaksanaan verifikasi tidak dilakukan secara langsung oleh Direksi/Pejabat/"
     "Pimpinan Perusahaan/Pemilik Perusahaan (bila diwakilkan)", "represented"),
    ("ktp_penerima_kuasa", "KTP Penerima Kuasa",
     "KTP ASLI penerima kuasa yang mewakili Pelaku Usaha dalam verifikasi (bila diwakilkan)",
     "represented"),
]

DEFICIENCY_REASONS = [
    ("unreadable", "Tidak terbaca / buram"),
    ("not_original", "Bukan hasil scan dokumen asli"),
    ("name_mismatch", "Nama tidak sesuai dengan data perusahaan"),
    ("expired", "Sudah tidak berlaku"),
    ("pages_missing", "Halaman tidak lengkap"),
    ("wrong_document", "Dokumen salah (bukan dokumen yang diminta)"),
    ("other", "Lainnya (lihat catatan)"),
]


def office_setup_defaults(office) -> None:
    """Give a new office the Lampiran 1 checklist and the deficiency reasons (idempotent)."""
    from .models import DeficiencyReason, DocumentType

    for order, (code, name, description, condition) in enumerate(LAMPIRAN_1, start=1):
        DocumentType.objects.get_or_create(
            office=office, code=code,
            defaults={"name": name, "description": description, "condition": condition,
                      "order": order})
    for order, (code, label) in enumerate(DEFICIENCY_REASONS, start=1):
        DeficiencyReason.objects.get_or_create(office=office, code=code,
                                               defaults={"label": label, "order": order})
