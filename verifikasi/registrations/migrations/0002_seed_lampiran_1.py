from django.db import migrations

# Lampiran 1 of the procedure: KELENGKAPAN DOKUMEN PERSYARATAN DAN VERIFIKASI
# PELAKU USAHA LPSE KAB. KETAPANG.
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


def seed(apps, schema_editor):
    Office = apps.get_model("offices", "Office")
    DocumentType = apps.get_model("registrations", "DocumentType")
    for office in Office.objects.filter(code="ketapang"):
        for order, (code, name, description, condition) in enumerate(LAMPIRAN_1, start=1):
            DocumentType.objects.get_or_create(
                office=office, code=code,
                defaults={"name": name, "description": description,
                          "condition": condition, "order": order},
            )


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0001_initial"),
        ("offices", "0002_seed_ketapang"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
