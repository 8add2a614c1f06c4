import uuid
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


def validate_timezone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            _("Zona waktu tidak dikenal: %(value)s"), params={"value": value}
        ) from None


# The safe defaults of the retention periods an office leaves empty (days).
RETENTION_DEFAULT_DAYS = {
    "retention_registration_days": 10 * 365,
    "retention_outbox_body_days": 90,
    "retention_ip_days": 180,
    "retention_rights_export_days": 7,
}


def _days(low: int, high: int) -> list:
    """Validators for a number of days between ``low`` and ``high``, said in Indonesian."""
    return [MinValueValidator(low, _("Masa simpan paling sedikit %(limit_value)s hari.")),
            MaxValueValidator(high, _("Masa simpan paling lama %(limit_value)s hari."))]


class Office(models.Model):
    """An LPSE office (Kantor LPSE): the tenant every registration belongs to."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("nama singkat"), max_length=80)
    letterhead = models.TextField(
        _("kop surat"), help_text=_("Satu baris per baris kop, seperti pada surat resmi.")
    )
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    phone = models.CharField(_("telepon"), max_length=100, blank=True)
    reply_to_email = models.EmailField(
        _("email tim verifikator"),
        help_text=_("Balasan atas email dari sistem diterima di alamat ini."),
    )
    spse_url = models.URLField(_("alamat SPSE"))
    timezone = models.CharField(
        _("zona waktu"), max_length=64, default="Asia/Pontianak", validators=[validate_timezone]
    )
    timezone_label = models.CharField(_("label zona waktu"), max_length=10, default="WIB")

    # Retention (UU No. 27/2022: processing ends with the retention period). The one
    # table of data classes is core/retention_policy.py; these are the office's periods
    # for it. Empty: the safe default (RETENTION_DEFAULT_DAYS, or the server setting).
    retention_document_days = models.PositiveIntegerField(
        _("masa simpan dokumen (hari)"), null=True, blank=True,
        validators=_days(30, 3650),
        help_text=_("Berkas dokumen dan gambar halaman, dihitung sejak pendaftaran ditutup. "
                    "Kosongkan untuk memakai pengaturan server (DOCUMENT_RETENTION_DAYS)."),
    )
    retention_registration_days = models.PositiveIntegerField(
        _("masa simpan catatan pendaftaran (hari)"), null=True, blank=True,
        validators=_days(365, 36500),
        help_text=_("Nama dan kontak dalam pendaftaran serta berkas tanda lulus, dihitung "
                    "sejak pendaftaran ditutup; sesuaikan dengan Jadwal Retensi Arsip (JRA). "
                    "Kosongkan untuk memakai bawaan: 3650 hari."),
    )
    retention_outbox_body_days = models.PositiveIntegerField(
        _("masa simpan isi email terkirim (hari)"), null=True, blank=True,
        validators=_days(7, 3650),
        help_text=_("Sesudahnya hanya penerima, subjek, status dan waktunya yang disimpan. "
                    "Kosongkan untuk memakai bawaan: 90 hari."),
    )
    retention_ip_days = models.PositiveIntegerField(
        _("masa simpan alamat IP (hari)"), null=True, blank=True,
        validators=_days(7, 3650),
        help_text=_("Alamat IP di jejak audit dan catatan persetujuan dihapus sesudahnya. "
                    "Kosongkan untuk memakai bawaan: 180 hari."),
    )
    retention_rights_export_days = models.PositiveIntegerField(
        _("masa simpan salinan data permintaan hak (hari)"), null=True, blank=True,
        validators=_days(1, 90),
        help_text=_("Berkas ZIP salinan data yang diminta Pelaku Usaha. Kosongkan untuk "
                    "memakai bawaan: 7 hari."),
    )

    # Working days and deadlines (issues 19 and 20): offices/workdays.py counts them.
    service_days = models.CharField(
        _("hari pelayanan"), max_length=7, default="12345", db_default="12345",
        validators=[RegexValidator(r"^(?!.*(.).*\1)[1-7]{1,7}$", _(
            "Tulis angka hari pelayanan tanpa pengulangan: 1 = Senin … 7 = Minggu, "
            "misalnya 12345."))],
        help_text=_("Angka hari kerja kantor: 1 = Senin … 7 = Minggu (bawaan 12345, "
                    "Senin–Jumat). Hari libur nasional, cuti bersama dan penutupan kantor "
                    "tidak dihitung."),
    )
    revision_deadline_days = models.PositiveSmallIntegerField(
        _("batas waktu perbaikan (hari kerja)"), default=15, db_default=15,
        validators=[MinValueValidator(1, _("Paling sedikit %(limit_value)s hari kerja.")),
                    MaxValueValidator(90, _("Paling lama %(limit_value)s hari kerja."))],
        help_text=_("Sejak kekurangan dikirim, Pelaku Usaha memperbaiki dalam sekian hari "
                    "kerja; bila lewat tanpa pengajuan ulang, pendaftaran gugur."),
    )
    sla_working_days = models.PositiveSmallIntegerField(
        _("waktu pelayanan (hari kerja)"), default=5, db_default=5,
        validators=[MinValueValidator(1, _("Paling sedikit %(limit_value)s hari kerja.")),
                    MaxValueValidator(90, _("Paling lama %(limit_value)s hari kerja."))],
        help_text=_("Standar pelayanan: sejak diajukan sampai tanda lulus dikirim; waktu "
                    "menunggu perbaikan dari Pelaku Usaha tidak dihitung."),
    )
    # The Monday of the last week whose SLA summary went to the office head.
    sla_summary_week = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("kantor LPSE")
        verbose_name_plural = _("kantor LPSE")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        documents = self.retention_document_days or settings.DOCUMENT_RETENTION_DAYS
        registration = (self.retention_registration_days
                        or RETENTION_DEFAULT_DAYS["retention_registration_days"])
        if registration < documents:
            raise ValidationError({"retention_registration_days": _(
                "Catatan pendaftaran harus disimpan sekurang-kurangnya selama dokumennya "
                "(%(days)s hari).") % {"days": documents}})

    @property
    def letterhead_lines(self) -> list[str]:
        return [line.strip() for line in self.letterhead.splitlines() if line.strip()]

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)
