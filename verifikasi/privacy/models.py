"""A data subject's rights in the app (UU No. 27/2022 Pasal 5–14, 31–32).

``DataRequest`` is one request (correction, deletion, withdrawal of consent) on the
statutory clock of 3×24 hours from receipt; ``DataExport`` is one copy of a person's
data made by the worker and offered for a limited time.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

# Pasal 31–32: the controller answers within 3×24 hours of receiving the request.
RESPONSE_TIME = timedelta(hours=3 * 24)


class RequestKind(models.TextChoices):
    CORRECTION = "correction", _("Perbaikan data")
    DELETION = "deletion", _("Penghapusan data")
    CONSENT_WITHDRAWAL = "consent_withdrawal", _("Penarikan persetujuan")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Diterima, sedang ditinjau")
    ANSWERED = "answered", _("Sudah dijawab")


class RequestDecision(models.TextChoices):
    ACCEPTED = "accepted", _("Dikabulkan")
    REFUSED = "refused", _("Ditolak")


class DataRequest(models.Model):
    """One request of a data subject, answered by the office's staff within the clock."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT,
                               related_name="data_requests")
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="data_requests")
    registration = models.ForeignKey("registrations.Registration", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="data_requests")
    kind = models.CharField(_("jenis"), max_length=20, choices=RequestKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices,
                              default=RequestStatus.RECEIVED)
    field = models.CharField(_("data yang diperbaiki"), max_length=40, blank=True)
    details = models.TextField(_("keterangan"), max_length=2000, blank=True)
    received_at = models.DateTimeField(_("diterima"))
    deadline = models.DateTimeField(_("batas waktu jawaban"))
    decision = models.CharField(_("keputusan"), max_length=10, choices=RequestDecision.choices,
                                blank=True)
    reason = models.TextField(_("alasan"), max_length=2000, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("diputuskan oleh"))
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)
    # The answer as sent (subject and text), kept as the evidence of what was said.
    letter_subject = models.CharField(_("subjek surat"), max_length=255, blank=True)
    letter_text = models.TextField(_("isi surat"), blank=True)
    letter_email = models.ForeignKey("notifications.OutboundEmail", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    head_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("permintaan data")
        verbose_name_plural = _("permintaan data")
        ordering = ["deadline"]
        indexes = [
            models.Index(fields=["office", "status", "deadline"]),
            models.Index(fields=["requester", "-received_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=RequestKind.values),
                                   name="datarequest_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=RequestStatus.values),
                                   name="datarequest_status_valid"),
            models.CheckConstraint(condition=Q(deadline__gt=F("received_at")),
                                   name="datarequest_deadline_after_receipt"),
            # Answered ⇔ decided, with a decision, a reason and who decided.
            models.CheckConstraint(
                condition=Q(status=RequestStatus.RECEIVED, decision="",
                            decided_at__isnull=True, decided_by__isnull=True)
                | (Q(status=RequestStatus.ANSWERED, decision__in=RequestDecision.values,
                     decided_at__isnull=False, decided_by__isnull=False) & ~Q(reason="")),
                name="datarequest_answer_complete",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.received_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.RECEIVED


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Sedang disiapkan")
    READY = "ready", _("Siap diunduh")
    FAILED = "failed", _("Gagal disiapkan")
    EXPIRED = "expired", _("Kedaluwarsa, sudah dihapus")


class DataExport(models.Model):
    """A copy of one person's data (Pasal 7): a ZIP built by the worker, private, short-lived."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="data_exports")
    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=ExportStatus.choices,
                              default=ExportStatus.PENDING)
    requested_at = models.DateTimeField(_("diminta"))
    ready_at = models.DateTimeField(_("siap"), null=True, blank=True)
    expires_at = models.DateTimeField(_("tersedia sampai"), null=True, blank=True)
    file = models.FileField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    downloads = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("salinan data")
        verbose_name_plural = _("salinan data")
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["status", "expires_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ExportStatus.values),
                                   name="dataexport_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=ExportStatus.READY)
                | (Q(expires_at__isnull=False) & ~Q(file="")),
                name="dataexport_ready_has_file_and_expiry"),
        ]

    def __str__(self):
        return f"{self.user} {self.requested_at:%Y-%m-%d %H:%M}"
