from django.db import migrations

# From the procedure's own letterhead (spec: prosedur-verifikasi-daring-ketapang).
LETTERHEAD = "\n".join([
    "PEMERINTAH KABUPATEN KETAPANG",
    "SEKRETARIAT DAERAH",
    "Jalan Jenderal Sudirman No. 37 Telp. (0534) - 32555, 32655, 32755",
    "KETAPANG 78813",
])


def seed(apps, schema_editor):
    Office = apps.get_model("offices", "Office")
    Office.objects.get_or_create(
        code="ketapang",
        defaults={
            "name": "LPSE Kabupaten Ketapang",
            "short_name": "LPSE Kab. Ketapang",
            "letterhead": LETTERHEAD,
            "address": "Jalan Jenderal Sudirman No. 37, Ketapang 78813, Kalimantan Barat",
            "phone": "(0534) 32555, 32655, 32755",
            "reply_to_email": "bpbj.verifikator@gmail.com",
            "spse_url": "https://lpse.ketapangkab.go.id/",
            "timezone": "Asia/Pontianak",
            "timezone_label": "WIB",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("offices", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
