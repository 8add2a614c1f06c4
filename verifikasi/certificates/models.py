import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact, GreaterThanOrEqual
from django.utils.translation import gettext_lazy as _

from verifikasi.core.validators import validate_single_line

from .numbering import DEFAULT_PATTERN, validate_number_pattern


class CertificateSettings(models.Model):
    """How one office numbers, signs and follows up its certificates (spec C.6.b, C.7)."""

    office = models.OneToOneField("offices.Office", on_delete=models.CASCADE,
                                  related_name="certificate_settings")
    number_pattern = models.CharField(
        _("pola nomor"), max_length=100, default=DEFAULT_PATTERN,
        validators=[validate_number_pattern],
        help_text=_("Penanda: {seq} nomor urut tahunan ({seq:04d} = 0001), {year} tahun, "
                    "{month_roman} bulan dalam angka Romawi, {office_code} kode kantor. "
                    "{seq} dan {year} wajib ada."),
    )
    require_countersign = models.BooleanField(
        _("perlu persetujuan Ketua Tim"), default=False,
        help_text=_("Tanda lulus baru diterbitkan setelah disetujui Ketua Tim Verifikator."),
    )
    signer_name = models.CharField(_("nama penanda tangan"), max_length=150, blank=True,
                                   validators=[validate_single_line])
    signer_title = models.CharField(
        _("jabatan penanda tangan"), max_length=200, blank=True, validators=[validate_single_line],
        help_text=_("Misalnya: Ketua Tim Verifikator LPSE Kab. Ketapang"),
    )
    place = models.CharField(
        _("tempat penerbitan"), max_length=80, blank=True, validators=[validate_single_line],
        help_text=_("Kota yang dicetak di depan tanggal, misalnya: Ketapang"),
    )
    receipt_reminder_days = models.PositiveSmallIntegerField(
        _("pengingat konfirmasi penerimaan (hari)"), default=3,
        help_text=_("Setelah sekian hari tanpa konfirmasi (C.7), Pelaku Usaha diingatkan."),
    )

    class Meta:
        verbose_name = _("pengaturan tanda lulus")
        verbose_name_plural = _("pengaturan tanda lulus")
        constraints = [
            models.CheckConstraint(condition=Q(number_pattern__contains="{seq")
                                   & Q(number_pattern__contains="{year"),
                                   name="certificatesettings_pattern_has_seq_and_year"),
            models.CheckConstraint(condition=Q(receipt_reminder_days__gte=1),
                                   name="certificatesettings_reminder_positive"),
        ]

    def __str__(self):
        return str(self.office)


class CertificateSequence(models.Model):
    """The last number given out per office and year: no gaps, no duplicates.

    The issuing transaction increments ``last_value`` with an UPDATE, which
    holds the row lock until it commits or rolls back; a rolled-back issue
    therefore gives its number back.
    """

    office = models.ForeignKey("offices.Office", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("urutan nomor tanda lulus")
        verbose_name_plural = _("urutan nomor tanda lulus")
        constraints = [
            models.UniqueConstraint(fields=["office", "year"],
                                    name="certificatesequence_one_per_year"),
            models.CheckConstraint(condition=Q(last_value__gte=0),
                                   name="certificatesequence_not_negative"),
        ]

    def __str__(self):
        return f"{self.office} {self.year}: {self.last_value}"


class RevocationReason(models.TextChoices):
    """Why a certificate was revoked, as the public may read it (never personal data)."""

    DATA_ERROR = "data_error", _("Kesalahan data pada tanda lulus")
    INVALID_DOCUMENTS = "invalid_documents", _("Dokumen persyaratan tidak sah")
    REGISTRATION_REJECTED = "registration_rejected", _("Pendaftaran verifikasi ditolak")
    ISSUED_IN_ERROR = "issued_in_error", _("Diterbitkan karena kekeliruan prosedur")
    VENDOR_REQUEST = "vendor_request", _("Atas permintaan Pelaku Usaha")
    OTHER = "other", _("Alasan lain")


def new_check_code() -> str:
    """The public check code in the QR: 128 random bits, unrelated to the number or the pk."""
    return secrets.token_urlsafe(16)


def certificate_upload_to(instance, filename):
    return f"certificates/{instance.office.code}/{instance.year}/{uuid.uuid4().hex}.pdf"


class Certificate(models.Model):
    """A bukti/tanda lulus verifikasi (spec C.6.b): the signed PDF and the facts printed on it.

    The facts are copied from the registration at issue time, so the record
    says what the PDF says even if the registration is corrected later.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(max_length=43, unique=True, default=new_check_code,
                            editable=False)
    registration = models.ForeignKey("registrations.Registration", on_delete=models.PROTECT,
                                     related_name="certificates")
    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT,
                               related_name="certificates")
    number = models.CharField(_("nomor"), max_length=100)
    year = models.PositiveSmallIntegerField(_("tahun"))
    seq = models.PositiveIntegerField(_("nomor urut"))
    issued_at = models.DateTimeField(_("diterbitkan"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("diterbitkan oleh"),
        help_text=_("Kosong: diterbitkan oleh sistem."),
    )
    company_name = models.CharField(_("nama perusahaan"), max_length=200)
    npwp_display = models.CharField(_("NPWP"), max_length=48)
    nib = models.CharField(_("NIB"), max_length=13)
    person_verified = models.CharField(_("nama yang diverifikasi"), max_length=150)
    person_role = models.CharField(_("kedudukan"), max_length=80)
    call_date = models.DateField(_("tanggal video call"))
    verifier_name = models.CharField(_("verifikator"), max_length=150)
    documents = models.JSONField(_("dokumen yang diverifikasi"), default=list)
    file = models.FileField(upload_to=certificate_upload_to, max_length=255)
    sha256 = models.CharField(_("SHA-256 berkas bertanda tangan"), max_length=64,
                              db_index=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("dicabut oleh"),
    )
    # The category is public (the check page shows it); the reason is internal.
    revoke_reason_category = models.CharField(
        _("kategori alasan pencabutan"), max_length=30, choices=RevocationReason.choices,
        blank=True)
    revoke_reason = models.TextField(_("alasan pencabutan"), max_length=2000, blank=True)
    receipt_confirmed_at = models.DateTimeField(_("penerimaan dikonfirmasi"), null=True,
                                                blank=True)

    class Meta:
        verbose_name = _("tanda lulus verifikasi")
        verbose_name_plural = _("tanda lulus verifikasi")
        ordering = ["-issued_at"]
        indexes = [models.Index(fields=["office", "-issued_at"])]
        constraints = [
            models.UniqueConstraint(fields=["office", "number"],
                                    name="certificate_unique_number"),
            models.UniqueConstraint(fields=["office", "year", "seq"],
                                    name="certificate_unique_seq"),
            # At most one certificate in force per registration; a new one
            # (after a correction) needs the old one revoked first.
            models.UniqueConstraint(fields=["registration"],
                                    condition=Q(revoked_at__isnull=True),
                                    name="certificate_one_valid_per_registration"),
            models.CheckConstraint(condition=Q(seq__gte=1), name="certificate_seq_positive"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=9999),
                                   name="certificate_year_sane"),
            models.CheckConstraint(condition=Exact(Length("sha256"), 64),
                                   name="certificate_sha256_length"),
            models.CheckConstraint(condition=GreaterThanOrEqual(Length("code"), 16),
                                   name="certificate_code_length"),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoked_by__isnull=True, revoke_reason="",
                            revoke_reason_category="")
                | (Q(revoked_at__isnull=False) & ~Q(revoke_reason="")
                   & Q(revoke_reason_category__in=RevocationReason.values)),
                name="certificate_revocation_has_reason_and_category",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_at__gte=F("issued_at")),
                name="certificate_revoked_after_issue",
            ),
            models.CheckConstraint(
                condition=Q(receipt_confirmed_at__isnull=True)
                | Q(receipt_confirmed_at__gte=F("issued_at")),
                name="certificate_receipt_after_issue",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
