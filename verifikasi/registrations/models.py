
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verifikasi.core.validators import validate_single_line


class DocumentCondition(models.TextChoices):
    """When a Lampiran 1 document applies to a registration."""

    ALWAYS = "always", _("Wajib bagi semua Pelaku Usaha")
    HAS_AKTA_PENDIRIAN = "has_akta_pendirian", _("Jika perusahaan memiliki Akta Pendirian")
    HAS_AKTA_PERUBAHAN = "has_akta_perubahan", _("Jika perusahaan memiliki Akta Perubahan")
    REPRESENTED = "represented", _("Jika verifikasi diwakilkan kepada penerima kuasa")


class DocumentType(models.Model):
    """One row of Lampiran 1 (Kelengkapan Dokumen Persyaratan), per office.

    Seeded from the procedure and editable by the office's admin.
    """

    office = models.ForeignKey(
        "offices.Office", on_delete=models.PROTECT, related_name="document_types"
    )
    code = models.SlugField(_("kode"), max_length=40)
    name = models.CharField(_("nama dokumen"), max_length=120, validators=[validate_single_line])
    description = models.CharField(_("keterangan"), max_length=300,
                                   validators=[validate_single_line])
    condition = models.CharField(
        _("berlaku"), max_length=24, choices=DocumentCondition.choices,
        default=DocumentCondition.ALWAYS,
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("jenis dokumen")
        verbose_name_plural = _("jenis dokumen (Lampiran 1)")
        ordering = ["office", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["office", "code"], name="documenttype_unique_code"),
            models.CheckConstraint(
                condition=Q(condition__in=DocumentCondition.values),
                name="documenttype_condition_valid",
            ),
        ]

    def __str__(self):
        return self.name


class RegistrationStatus(models.TextChoices):
    """The registration lifecycle (DESIGN: one state machine, in workflow.py)."""

    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    REVISION_REQUESTED = "revision_requested", _("Perlu perbaikan")
    DOCUMENTS_ACCEPTED = "documents_accepted", _("Dokumen diterima")
    SCHEDULED = "scheduled", _("Terjadwal")
    VERIFIED = "verified", _("Lulus verifikasi")
    CERTIFICATE_SENT = "certificate_sent", _("Tanda lulus dikirim")
    COMPLETED = "completed", _("Selesai")
    WITHDRAWN = "withdrawn", _("Dibatalkan")
    REJECTED = "rejected", _("Ditolak")
    # The deficiency deadline passed without a resubmission (issue 20).
    LAPSED = "lapsed", _("Gugur")


CLOSED_STATUSES = [RegistrationStatus.COMPLETED, RegistrationStatus.WITHDRAWN,
                   RegistrationStatus.REJECTED, RegistrationStatus.LAPSED]
OPEN_STATUSES = [s for s in RegistrationStatus.values if s not in CLOSED_STATUSES]


# What the office still has to move (the reports' backlog): every open status but the draft.
BACKLOG_STATUSES = [s for s in OPEN_STATUSES if s != RegistrationStatus.DRAFT]


# What a verifier has to act on: the queue's default view (registrations.staff_queue),
# with partial indexes of its own because it is a quarter of an office's rows and the
# newest quarter (closed registrations wait longest, so a walk from the oldest would
# read every closed one first).
ACTIONABLE_STATUSES = [
    RegistrationStatus.SUBMITTED, RegistrationStatus.DOCUMENTS_ACCEPTED,
    RegistrationStatus.SCHEDULED, RegistrationStatus.VERIFIED,
    RegistrationStatus.CERTIFICATE_SENT,
]


class BusinessForm(models.TextChoices):
    PT = "pt", _("Perseroan Terbatas (PT)")
    PT_PERORANGAN = "pt_perorangan", _("Perseroan Perorangan")
    CV = "cv", _("Persekutuan Komanditer (CV)")
    FIRMA = "firma", _("Firma")
    KOPERASI = "koperasi", _("Koperasi")
    PERORANGAN = "perorangan", _("Usaha Perorangan")
    KONSULTAN_PERORANGAN = "konsultan_perorangan", _("Konsultan Perorangan")
    YAYASAN = "yayasan", _("Yayasan")
    LAINNYA = "lainnya", _("Lainnya")


class Registration(models.Model):
    """A vendor's request to have their SPSE account verified (permohonan verifikasi)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT,
                               related_name="registrations")
    vendor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="registrations")
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


def document_upload_to(instance, filename):
    # Never the vendor's file name: a random name under the registration.
    return f"registrations/{instance.registration.code}/{instance.document_type.code}/" \
           f"v{instance.version}-{uuid.uuid4().hex}.pdf"


class DocumentCheck(models.TextChoices):
    """Where an upload stands: stored as sent and waiting for the worker's check, or judged."""

    CHECKING = "checking", _("Sedang diperiksa")
    ACCEPTED = "accepted", _("Diterima")
    REFUSED = "refused", _("Ditolak")


class Document(models.Model):
    """One uploaded version of one Lampiran 1 document; the latest accepted version counts.

    An upload is stored as sent (``incoming``) and checked by the worker; only an accepted
    document has a ``file`` (the normalized PDF) and is shown to staff.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    registration = models.ForeignKey(Registration, on_delete=models.PROTECT,
                                     related_name="documents")
    document_type = models.ForeignKey(DocumentType, on_delete=models.PROTECT,
                                      related_name="+")
    version = models.PositiveSmallIntegerField(default=1)
    file = models.FileField(upload_to=document_upload_to, max_length=255, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    # The stored file is the normalized PDF (rewritten by qpdf from the upload); its hash is
    # ``sha256``. ``original_sha256`` is the hash of the PDF exactly as uploaded, the evidence
    # of what the vendor sent; empty for a document made from photos.
    sha256 = models.CharField(max_length=64)
    original_sha256 = models.CharField(_("SHA-256 berkas asli"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField()
    page_count = models.PositiveIntegerField()
    repaired = models.BooleanField(_("diperbaiki"), default=False)
    from_photos = models.BooleanField(_("dari foto"), default=False)
    check_warnings = models.JSONField(default=list, blank=True)
    thumbnail = models.FileField(max_length=255, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Set when the file was destroyed at the end of the retention period; the
    # row (type, version, SHA-256) stays as the record that it existed.
    purged_at = models.DateTimeField(_("dimusnahkan"), null=True, blank=True)
    # The worker's check (registrations.checking): until it has judged the upload, the bytes
    # as sent wait in ``incoming`` (storage names and hashes) and nobody but the vendor sees
    # the row; a refused upload keeps only its reason, the bytes are destroyed.
    check_state = models.CharField(_("pemeriksaan berkas"), max_length=10,
                                   choices=DocumentCheck.choices, default=DocumentCheck.CHECKING)
    check_message = models.TextField(_("alasan penolakan berkas"), blank=True)
    checked_at = models.DateTimeField(_("diperiksa"), null=True, blank=True)
    incoming = models.JSONField(default=list, blank=True)
    # The NIK the worker read from a KTP photo (registrations.ktp_hint): a hint for the
    # verifier, never a decision. ``ocr_read_at`` set with an empty ``ocr_nik``: no NIK
    # could be read. Database defaults, so rows written by plain SQL need not name them.
    ocr_nik = models.CharField(_("NIK terbaca pada KTP"), max_length=16, blank=True,
                               default="", db_default="")
    ocr_confidence = models.PositiveSmallIntegerField(_("keyakinan pembacaan (%)"), null=True,
                                                      blank=True)
    ocr_read_at = models.DateTimeField(_("KTP dibaca"), null=True, blank=True)

    class Meta:
        verbose_name = _("dokumen")
        verbose_name_plural = _("dokumen")
        ordering = ["registration", "document_type__order", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "document_type", "version"],
                                    name="document_unique_version"),
            models.CheckConstraint(condition=Q(check_state__in=DocumentCheck.values),
                                   name="document_check_state_valid"),
        ]

    def __str__(self):
        return f"{self.document_type.name} v{self.version}"

    @property
    def page_numbers(self) -> range:
        return range(1, self.page_count + 1)


class DeficiencyReason(models.Model):
    """A reason a document needs fixing (ketidaksesuaian dan kekurangan), admin-maintained."""

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT,
                               related_name="deficiency_reasons")
    code = models.SlugField(_("kode"), max_length=40)
    label = models.CharField(_("alasan"), max_length=200, validators=[validate_single_line])
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("alasan perbaikan")
        verbose_name_plural = _("alasan perbaikan")
        ordering = ["office", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["office", "code"],
                                               name="deficiencyreason_unique_code")]

    def __str__(self):
        return self.label


class Decision(models.TextChoices):
    ACCEPTED = "accepted", _("Sesuai")
    NEEDS_FIX = "needs_fix", _("Perlu perbaikan")


class DocumentReview(models.Model):
    """The verifier's decision on one document in one review round (spec C.3)."""

    registration = models.ForeignKey(Registration, on_delete=models.PROTECT,
                                     related_name="document_reviews")
    round = models.PositiveSmallIntegerField()
    document_type = models.ForeignKey(DocumentType, on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="reviews")
    decision = models.CharField(_("keputusan"), max_length=10, choices=Decision.choices)
    reasons = models.ManyToManyField(DeficiencyReason, blank=True, related_name="+",
                                     verbose_name=_("alasan"))
    note = models.TextField(_("catatan"), max_length=1000, blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["registration", "round", "document_type"],
                                    name="documentreview_one_per_round"),
            models.CheckConstraint(condition=Q(decision__in=Decision.values),
                                   name="documentreview_decision_valid"),
        ]

    def __str__(self):
        return f"{self.document_type} r{self.round}: {self.decision}"


class FieldFlag(models.Model):
    """A company data field the verifier flagged as wrong in one review round."""

    registration = models.ForeignKey(Registration, on_delete=models.PROTECT,
                                     related_name="field_flags")
    round = models.PositiveSmallIntegerField()
    field = models.CharField(max_length=40)
    value_at_review = models.TextField(blank=True)
    note = models.CharField(_("catatan"), max_length=500)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "round", "field"],
                                               name="fieldflag_one_per_round")]

    def __str__(self):
        return f"{self.field} r{self.round}"
