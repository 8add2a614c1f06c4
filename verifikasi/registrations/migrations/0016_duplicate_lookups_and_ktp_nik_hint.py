from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("registrations", "0013_merge_check_state_queue_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="ocr_nik",
            field=models.CharField(blank=True, db_default="", default="", max_length=16,
                                   verbose_name="NIK terbaca pada KTP"),
        ),
        migrations.AddField(
            model_name="document",
            name="ocr_confidence",
            field=models.PositiveSmallIntegerField(blank=True, null=True,
                                                   verbose_name="keyakinan pembacaan (%)"),
        ),
        migrations.AddField(
            model_name="document",
            name="ocr_read_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="KTP dibaca"),
        ),
        migrations.AddIndex(
            model_name="registration",
            index=models.Index(fields=["npwp"], name="registration_dup_npwp"),
        ),
        migrations.AddIndex(
            model_name="registration",
            index=models.Index(fields=["nib"], name="registration_dup_nib"),
        ),
        migrations.AddIndex(
            model_name="registration",
            index=models.Index(fields=["director_nik"], name="registration_dup_dir_nik"),
        ),
        migrations.AddIndex(
            model_name="registration",
            index=models.Index(fields=["representative_nik"], name="registration_dup_rep_nik"),
        ),
    ]
