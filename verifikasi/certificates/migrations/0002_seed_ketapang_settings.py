from django.db import migrations

# The Ketapang office's certificate: numbered per year, signed for the team
# (spec C.6.b: "Verifikator akan mengirimkan bukti/tanda lulus verifikasi").


def seed(apps, schema_editor):
    Office = apps.get_model("offices", "Office")
    CertificateSettings = apps.get_model("certificates", "CertificateSettings")
    office = Office.objects.filter(code="ketapang").first()
    if office is None:
        return
    CertificateSettings.objects.get_or_create(
        office=office,
        defaults={
            "number_pattern": "{seq:04d}/LPSE-KTP/VD/{year}",
            "signer_title": "Ketua Tim Verifikator LPSE Kab. Ketapang",
            "place": "Ketapang",
            "receipt_reminder_days": 3,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("certificates", "0001_initial"), ("offices", "0002_seed_ketapang")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
