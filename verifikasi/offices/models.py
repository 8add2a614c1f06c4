import uuid
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


def validate_timezone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            _("Zona waktu tidak dikenal: %(value)s"), params={"value": value}
        ) from None


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

    class Meta:
        verbose_name = _("kantor LPSE")
        verbose_name_plural = _("kantor LPSE")

    def __str__(self):
        return self.name

    @property
    def letterhead_lines(self) -> list[str]:
        return [line.strip() for line in self.letterhead.splitlines() if line.strip()]

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)
