from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('registrations', '0011_document_original_sha256'),
    ]

    operations = [
        migrations.AddField(
            model_name='document',
            name='check_message',
            field=models.TextField(blank=True, verbose_name='alasan penolakan berkas'),
        ),
        # Every document stored so far was checked before it was stored: accepted.
        migrations.AddField(
            model_name='document',
            name='check_state',
            field=models.CharField(choices=[('checking', 'Sedang diperiksa'), ('accepted', 'Diterima'), ('refused', 'Ditolak')], default='accepted', max_length=10, verbose_name='pemeriksaan berkas'),
        ),
        migrations.AlterField(
            model_name='document',
            name='check_state',
            field=models.CharField(choices=[('checking', 'Sedang diperiksa'), ('accepted', 'Diterima'), ('refused', 'Ditolak')], default='checking', max_length=10, verbose_name='pemeriksaan berkas'),
        ),
        migrations.AddField(
            model_name='document',
            name='checked_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='diperiksa'),
        ),
        migrations.AddField(
            model_name='document',
            name='incoming',
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddConstraint(
            model_name='document',
            constraint=models.CheckConstraint(condition=models.Q(('check_state__in', ['checking', 'accepted', 'refused'])), name='document_check_state_valid'),
        ),
    ]
