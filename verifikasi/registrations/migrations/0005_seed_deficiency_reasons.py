from django.db import migrations

# Seed list from the review issue; admins edit it per office.
REASONS = [
    ("unreadable", "Tidak terbaca / buram"),
    ("not_original", "Bukan hasil scan dokumen asli"),
    ("name_mismatch", "Nama tidak sesuai dengan data perusahaan"),
    ("expired", "Sudah tidak berlaku"),
    ("pages_missing", "Halaman tidak lengkap"),
    ("wrong_document", "Dokumen salah (bukan dokumen yang diminta)"),
    ("other", "Lainnya (lihat catatan)"),
]


def seed(apps, schema_editor):
    Office = apps.get_model("offices", "Office")
    DeficiencyReason = apps.get_model("registrations", "DeficiencyReason")
    for office in Office.objects.all():
        for order, (code, label) in enumerate(REASONS, start=1):
            DeficiencyReason.objects.get_or_create(
                office=office, code=code, defaults={"label": label, "order": order})


class Migration(migrations.Migration):
    dependencies = [("registrations", "0004_review")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
