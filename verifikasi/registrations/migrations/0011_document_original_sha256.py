from django.db import migrations, models


def originals_were_stored(apps, schema_editor):
    # Until now an uploaded PDF was stored byte for byte, so its hash is the original's.
    Document = apps.get_model("registrations", "Document")
    Document.objects.filter(from_photos=False).update(original_sha256=models.F("sha256"))


class Migration(migrations.Migration):

    dependencies = [
        ("registrations", "0010_single_line_and_max_length"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="original_sha256",
            field=models.CharField(blank=True, max_length=64, verbose_name="SHA-256 berkas asli"),
        ),
        migrations.RunPython(originals_were_stored, migrations.RunPython.noop),
    ]
