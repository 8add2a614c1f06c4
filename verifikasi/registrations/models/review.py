"""A verifier's review: reasons for deficiencies, decisions per document, flags on fields."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from verifikasi.core.validators import validate_single_line

from .documents import Document, DocumentType
from .registration import Registration


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
