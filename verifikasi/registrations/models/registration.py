"""The registration: one company's request for an SPSE account, with its data and clocks."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verifikasi.core.validators import validate_single_line

from .statuses import (
    ACTIONABLE_STATUSES,
    BACKLOG_STATUSES,
    OPEN_STATUSES,
    BusinessForm,
    RegistrationStatus,
)


class Registration(models.Model):
    """A vendor's request to have their SPSE account verified (permohonan verifikasi)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # No index of their own: the (office, …) and (vendor, -created_at) indexes below
    # begin with them.
    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT,
                               related_name="registrations", db_index=False)
    vendor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="registrations", db_index=False)
    status = models.CharField(_("status"), max_length=24, choices=RegistrationStatus.choices,
                              default=RegistrationStatus.DRAFT)
    status_changed_at = models.DateTimeField(_("status berubah"), default=timezone.now)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)
    submitted_at = models.DateTimeField(_("diajukan"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="assigned_registrations", verbose_name=_("verifikator"),
    )

    # Company data (spec B.2, B.7)
    business_form = models.CharField(_("bentuk usaha"), max_length=24,
                                     choices=BusinessForm.choices, blank=True)
    company_name = models.CharField(_("nama perusahaan"), max_length=200, blank=True,
                                    validators=[validate_single_line])
    npwp = models.CharField(_("NPWP"), max_length=16, blank=True,
                            help_text=_("Disimpan dalam bentuk 16 digit."))
    npwp_display = models.CharField(_("NPWP (15 digit)"), max_length=20, blank=True)
    nib = models.CharField(_("NIB"), max_length=13, blank=True)
    address = models.TextField(_("alamat"), max_length=500, blank=True)
    province = models.CharField(_("provinsi"), max_length=60, blank=True,
                                validators=[validate_single_line])
    regency = models.CharField(_("kabupaten/kota"), max_length=80, blank=True,
                               validators=[validate_single_line])
    postal_code = models.CharField(_("kode pos"), max_length=5, blank=True)
    phone = models.CharField(_("telepon/WhatsApp"), max_length=20, blank=True)
    email = models.EmailField(_("email perusahaan"), blank=True)
    director_name = models.CharField(_("nama direktur/pemilik"), max_length=150, blank=True,
                                     validators=[validate_single_line])
    director_nik = models.CharField(_("NIK direktur/pemilik"), max_length=16, blank=True)
    represented = models.BooleanField(_("verifikasi diwakilkan"), default=False)
    representative_name = models.CharField(_("nama penerima kuasa"), max_length=150,
                                           blank=True, validators=[validate_single_line])
    representative_nik = models.CharField(_("NIK penerima kuasa"), max_length=16, blank=True)
    has_akta_pendirian = models.BooleanField(_("memiliki Akta Pendirian"), default=False)
    has_akta_perubahan = models.BooleanField(_("memiliki Akta Perubahan"), default=False)
    spse_user_id = models.CharField(_("User ID SPSE"), max_length=100, blank=True,
                                    validators=[validate_single_line])
    # Doubtful identifier checks the vendor insisted on, shown to the verifier.
    identifier_warnings = models.JSONField(default=list, blank=True)

    # Review (spec C.3): each submit/resubmit opens a new round of review.
    review_round = models.PositiveSmallIntegerField(_("putaran pemeriksaan"), default=0)
    blacklist_checked_at = models.DateTimeField(_("daftar hitam diperiksa"), null=True,
                                                blank=True)
    blacklist_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+")
    blacklist_listed = models.BooleanField(_("tercantum di daftar hitam"), null=True,
                                           blank=True)
    blacklist_note = models.CharField(_("catatan daftar hitam"), max_length=300, blank=True)
    closing_reason = models.TextField(_("alasan penolakan/pembatalan"), max_length=2000,
                                      blank=True)

    # Outcome (spec C.6–C.10)
    call_held_on = models.DateField(_("tanggal video call"), null=True, blank=True)
    spse_approved_at = models.DateTimeField(_("disetujui di SPSE"), null=True, blank=True)
    spse_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+")
    spse_approved_user_id = models.CharField(_("User ID SPSE yang disetujui"), max_length=100,
                                             blank=True, validators=[validate_single_line])
    countersigned_at = models.DateTimeField(_("disetujui kedua"), null=True, blank=True)
    countersigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+")
    receipt_reminder_sent_at = models.DateTimeField(null=True, blank=True)

    # Deficiency deadline (issue 20, registrations/deadlines.py): the last working day
    # the vendor may resubmit; set each time the registration goes back to them.
    revision_deadline = models.DateField(_("batas waktu perbaikan"), null=True, blank=True)
    revision_deadline_extended_at = models.DateTimeField(null=True, blank=True)
    revision_deadline_extension_reason = models.TextField(
        _("alasan perpanjangan"), max_length=1000, blank=True, default="", db_default="")
    revision_reminder_3_sent_at = models.DateTimeField(null=True, blank=True)
    revision_reminder_1_sent_at = models.DateTimeField(null=True, blank=True)

    # Service-time clock in working days (issue 19, registrations/sla.py): the days used
    # in earlier spans with the office, and the current span's start and due date
    # (both empty while the clock is paused or stopped).
    sla_used_days = models.PositiveSmallIntegerField(default=0, db_default=0)
    sla_running_since = models.DateField(null=True, blank=True)
    sla_due_on = models.DateField(_("target selesai"), null=True, blank=True)

    # Consent to the privacy notice (UU No. 27/2022, Pasal 20-22)
    consent_version = models.CharField(max_length=20, blank=True)
    consent_at = models.DateTimeField(null=True, blank=True)
    consent_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("pendaftaran")
        verbose_name_plural = _("pendaftaran")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["office", "status", "status_changed_at"]),
            models.Index(fields=["office", "status_changed_at"]),
            models.Index(fields=["office", "assigned_to", "status_changed_at"]),
            models.Index(fields=["vendor", "-created_at"]),
            models.Index(fields=["office", "npwp"]),
            models.Index(fields=["office", "nib"]),
            models.Index(fields=["office", "company_name"]),
            # The duplicate check on the review screen (registrations.duplicates) looks up
            # the same NPWP, NIB or NIK across every office of the installation.
            models.Index(fields=["npwp"], name="registration_dup_npwp"),
            models.Index(fields=["nib"], name="registration_dup_nib"),
            models.Index(fields=["director_nik"], name="registration_dup_dir_nik"),
            models.Index(fields=["representative_nik"], name="registration_dup_rep_nik"),
            # The queue's "Terlambat" filter (issues 19 and 20).
            models.Index(fields=["office", "sla_due_on"], name="registration_sla_due",
                         condition=Q(sla_due_on__isnull=False)),
            models.Index(fields=["office", "revision_deadline"],
                         name="registration_revision_due",
                         condition=Q(status="revision_requested")),
            # "Terlambat" in queue order: only rows that can be late at all (a running
            # service clock or a deficiency deadline), so the ordered walk skips the closed
            # ones (issue 16: 27,000 of them in the largest office at 10^6).
            models.Index(fields=["office", "status_changed_at", "code"],
                         name="registration_queue_late",
                         condition=Q(sla_due_on__isnull=False)
                         | Q(status="revision_requested")),
            models.Index(fields=["office", "status_changed_at", "code"],
                         condition=Q(status__in=ACTIONABLE_STATUSES),
                         name="registration_queue_actionable"),
            models.Index(fields=["office", "assigned_to", "status_changed_at"],
                         condition=Q(status__in=ACTIONABLE_STATUSES),
                         name="registration_queue_mine"),
            # The office reports' backlog: open registrations (not drafts) by status and age.
            # Oldest first by one ordered scan; on PostgreSQL its migration adds status and
            # assignee as included columns, so the counts read only the index.
            models.Index(fields=["office", "submitted_at"],
                         condition=Q(status__in=BACKLOG_STATUSES),
                         name="registration_backlog"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=RegistrationStatus.values),
                                   name="registration_status_valid"),
            models.CheckConstraint(condition=Q(business_form="") | Q(
                business_form__in=BusinessForm.values), name="registration_form_valid"),
            # One open registration per company NPWP per office (DESIGN).
            models.UniqueConstraint(
                fields=["office", "npwp"],
                condition=Q(status__in=OPEN_STATUSES) & ~Q(npwp=""),
                name="registration_one_open_per_npwp",
            ),
        ]

    def __str__(self):
        return self.company_name or str(self.code)

    def get_status_display(self):
        # Django's own builds a dict of every choice, translating each label, on every
        # call; the queue shows fifty (issue 16). The check constraint keeps it valid.
        try:
            return RegistrationStatus(self.status).label
        except ValueError:
            return self.status

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
