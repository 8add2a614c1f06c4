"""The Lampiran 1 document types and the documents vendors upload for them."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from verifikasi.core.validators import validate_single_line

from .registration import Registration


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
    # No index of its own: document_unique_version begins with it.
    registration = models.ForeignKey(Registration, on_delete=models.PROTECT,
                                     related_name="documents", db_index=False)
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
