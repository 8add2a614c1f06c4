import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
import uuid
import verifikasi.certificates.models
import verifikasi.certificates.numbering
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('offices', '0002_seed_ketapang'),
        ('registrations', '0003_registration_document_and_more'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Certificate',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('code', models.CharField(default=verifikasi.certificates.models.new_check_code, editable=False, max_length=43, unique=True)),
                ('number', models.CharField(max_length=100, verbose_name='nomor')),
                ('year', models.PositiveSmallIntegerField(verbose_name='tahun')),
                ('seq', models.PositiveIntegerField(verbose_name='nomor urut')),
                ('issued_at', models.DateTimeField(verbose_name='diterbitkan')),
                ('company_name', models.CharField(max_length=200, verbose_name='nama perusahaan')),
                ('npwp_display', models.CharField(max_length=48, verbose_name='NPWP')),
                ('nib', models.CharField(max_length=13, verbose_name='NIB')),
                ('person_verified', models.CharField(max_length=150, verbose_name='nama yang diverifikasi')),
                ('person_role', models.CharField(max_length=80, verbose_name='kedudukan')),
                ('call_date', models.DateField(verbose_name='tanggal video call')),
                ('verifier_name', models.CharField(max_length=150, verbose_name='verifikator')),
                ('documents', models.JSONField(default=list, verbose_name='dokumen yang diverifikasi')),
                ('file', models.FileField(max_length=255, upload_to=verifikasi.certificates.models.certificate_upload_to)),
                ('sha256', models.CharField(db_index=True, max_length=64, verbose_name='SHA-256 berkas bertanda tangan')),
                ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='dicabut')),
                ('revoke_reason', models.TextField(blank=True, verbose_name='alasan pencabutan')),
                ('receipt_confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='penerimaan dikonfirmasi')),
                ('issued_by', models.ForeignKey(blank=True, help_text='Kosong: diterbitkan oleh sistem.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='diterbitkan oleh')),
                ('office', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='certificates', to='offices.office')),
                ('registration', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='certificates', to='registrations.registration')),
                ('revoked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='dicabut oleh')),
            ],
            options={
                'verbose_name': 'tanda lulus verifikasi',
                'verbose_name_plural': 'tanda lulus verifikasi',
                'ordering': ['-issued_at'],
                'indexes': [models.Index(fields=['office', '-issued_at'], name='certificate_office__145036_idx')],
                'constraints': [models.UniqueConstraint(fields=('office', 'number'), name='certificate_unique_number'), models.UniqueConstraint(fields=('office', 'year', 'seq'), name='certificate_unique_seq'), models.UniqueConstraint(condition=models.Q(('revoked_at__isnull', True)), fields=('registration',), name='certificate_one_valid_per_registration'), models.CheckConstraint(condition=models.Q(('seq__gte', 1)), name='certificate_seq_positive'), models.CheckConstraint(condition=models.Q(('year__gte', 2000), ('year__lte', 9999)), name='certificate_year_sane'), models.CheckConstraint(condition=django.db.models.lookups.Exact(django.db.models.functions.text.Length('sha256'), 64), name='certificate_sha256_length'), models.CheckConstraint(condition=django.db.models.lookups.GreaterThanOrEqual(django.db.models.functions.text.Length('code'), 16), name='certificate_code_length'), models.CheckConstraint(condition=models.Q(models.Q(('revoke_reason', ''), ('revoked_at__isnull', True), ('revoked_by__isnull', True)), models.Q(('revoked_at__isnull', False), models.Q(('revoke_reason', ''), _negated=True)), _connector='OR'), name='certificate_revocation_has_reason'), models.CheckConstraint(condition=models.Q(('revoked_at__isnull', True), ('revoked_at__gte', models.F('issued_at')), _connector='OR'), name='certificate_revoked_after_issue'), models.CheckConstraint(condition=models.Q(('receipt_confirmed_at__isnull', True), ('receipt_confirmed_at__gte', models.F('issued_at')), _connector='OR'), name='certificate_receipt_after_issue')],
            },
        ),
        migrations.CreateModel(
            name='CertificateSequence',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField()),
                ('last_value', models.PositiveIntegerField(default=0)),
                ('office', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='offices.office')),
            ],
            options={
                'verbose_name': 'urutan nomor tanda lulus',
                'verbose_name_plural': 'urutan nomor tanda lulus',
                'constraints': [models.UniqueConstraint(fields=('office', 'year'), name='certificatesequence_one_per_year'), models.CheckConstraint(condition=models.Q(('last_value__gte', 0)), name='certificatesequence_not_negative')],
            },
        ),
        migrations.CreateModel(
            name='CertificateSettings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number_pattern', models.CharField(default='{seq:04d}/LPSE-KTP/VD/{year}', help_text='Penanda: {seq} nomor urut tahunan ({seq:04d} = 0001), {year} tahun, {month_roman} bulan dalam angka Romawi, {office_code} kode kantor. {seq} dan {year} wajib ada.', max_length=100, validators=[verifikasi.certificates.numbering.validate_number_pattern], verbose_name='pola nomor')),
                ('require_countersign', models.BooleanField(default=False, help_text='Tanda lulus baru diterbitkan setelah disetujui Ketua Tim Verifikator.', verbose_name='perlu persetujuan Ketua Tim')),
                ('signer_name', models.CharField(blank=True, max_length=150, verbose_name='nama penanda tangan')),
                ('signer_title', models.CharField(blank=True, help_text='Misalnya: Ketua Tim Verifikator LPSE Kab. Ketapang', max_length=200, verbose_name='jabatan penanda tangan')),
                ('place', models.CharField(blank=True, help_text='Kota yang dicetak di depan tanggal, misalnya: Ketapang', max_length=80, verbose_name='tempat penerbitan')),
                ('receipt_reminder_days', models.PositiveSmallIntegerField(default=3, help_text='Setelah sekian hari tanpa konfirmasi (C.7), Pelaku Usaha diingatkan.', verbose_name='pengingat konfirmasi penerimaan (hari)')),
                ('office', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='certificate_settings', to='offices.office')),
            ],
            options={
                'verbose_name': 'pengaturan tanda lulus',
                'verbose_name_plural': 'pengaturan tanda lulus',
                'constraints': [models.CheckConstraint(condition=models.Q(('number_pattern__contains', '{seq'), ('number_pattern__contains', '{year')), name='certificatesettings_pattern_has_seq_and_year'), models.CheckConstraint(condition=models.Q(('receipt_reminder_days__gte', 1)), name='certificatesettings_reminder_positive')],
            },
        ),
    ]
