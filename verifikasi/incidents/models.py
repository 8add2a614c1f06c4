"""The breach register (UU No. 27/2022 Pasal 46): incidents and the notices they need.

An office records what happened, when it became known, which kinds of data and
how many people are affected, and what was done. The written notices to the
affected people and to the authority are due within 3×24 hours of the incident
becoming known; the drafts are kept here, editable until sent, with when and to
whom they went.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from verifikasi.core.validators import validate_single_line


class AffectedData(models.TextChoices):
    """The kinds of personal data an incident can disclose, as the notice names them."""

    IDENTITY = "identity", _("Identitas: nama, NIK dan pindaian KTP")
    CONTACT = "contact", _("Kontak: email, telepon dan alamat")
    COMPANY = "company", _("Data perusahaan: NPWP, NIB dan akta")
    DOCUMENTS = "documents", _("Dokumen persyaratan yang diunggah")
    RECORDINGS = "recordings", _("Rekaman video call (citra wajah, data pribadi spesifik)")
    CERTIFICATES = "certificates", _("Tanda lulus verifikasi")
    ACCOUNTS = "accounts", _("Akun: email masuk, kata sandi tersandi, kunci TOTP")
    TECHNICAL = "technical", _("Data teknis: alamat IP dan catatan akses")


class Incident(models.Model):
    """One personal data breach (kegagalan pelindungan data pribadi) at one office."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT,
                               related_name="incidents")
    title = models.CharField(_("judul singkat"), max_length=200,
                             validators=[validate_single_line])
    occurred_at = models.DateTimeField(_("waktu kejadian"))
    discovered_at = models.DateTimeField(
        _("waktu diketahui"),
        help_text=_("Tenggat pemberitahuan 3×24 jam dihitung dari waktu ini."))
    affected_data = models.JSONField(_("data pribadi yang terdampak"), default=list)
    affected_count = models.PositiveIntegerField(_("perkiraan jumlah orang terdampak"))
    description = models.TextField(
        _("uraian kejadian"), max_length=5000,
        help_text=_("Apa yang terjadi dan bagaimana data pribadi terungkap."))
    measures = models.TextField(
        _("penanganan dan pemulihan"), max_length=5000,
        help_text=_("Apa yang sudah dan akan dilakukan untuk menangani kejadian dan "
                    "memulihkan keadaan."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The notice to the affected people (through the outbox, one email each).
    people_subject = models.CharField(_("subjek pemberitahuan"), max_length=200, blank=True,
                                      validators=[validate_single_line])
    people_body = models.TextField(_("isi pemberitahuan kepada subjek data"), max_length=10000,
                                   blank=True)
    people_sent_at = models.DateTimeField(_("pemberitahuan subjek data dikirim"), null=True,
                                          blank=True)
    people_sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    # The notice to the authority (a letter: downloaded, sent outside the app, recorded).
    authority_name = models.CharField(
        _("ditujukan kepada"), max_length=200, blank=True, validators=[validate_single_line])
    authority_body = models.TextField(_("isi pemberitahuan kepada lembaga"), max_length=10000,
                                      blank=True)
    authority_sent_on = models.DateField(_("tanggal dikirim ke lembaga"), null=True, blank=True)
    authority_reference = models.CharField(
        _("nomor surat atau bukti kirim"), max_length=200, blank=True,
        validators=[validate_single_line])
    authority_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                              on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("insiden data pribadi")
        verbose_name_plural = _("register insiden data pribadi")
        ordering = ["-discovered_at"]
        indexes = [models.Index(fields=["office", "-discovered_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(discovered_at__gte=models.F("occurred_at")),
                                   name="incident_known_after_it_happened"),
        ]

    def __str__(self):
        return self.title

    def get_affected_data_display(self) -> list[str]:
        labels = dict(AffectedData.choices)
        return [str(labels.get(value, value)) for value in self.affected_data]


class IncidentRecipient(models.Model):
    """One affected person the notice was emailed to, with the outbox row that carries it."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="recipients")
    email = models.EmailField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    outbound_email = models.ForeignKey("notifications.OutboundEmail", on_delete=models.PROTECT,
                                       related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["incident", "email"],
                                               name="incidentrecipient_once")]

    def __str__(self):
        return self.email
