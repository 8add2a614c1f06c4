from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
    name = models.CharField(_("nama dokumen"), max_length=120)
    description = models.CharField(_("keterangan"), max_length=300)
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
