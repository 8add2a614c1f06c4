"""WhatsApp copies of key emails: the office's Cloud API settings, a vendor's
opt-in, and the outbox of template messages (issue 20)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from verifikasi.accounts.crypto import EncryptedTextField

DEFAULT_API_BASE_URL = "https://graph.facebook.com/v21.0"


class WhatsAppSettings(models.Model):
    """One office's WhatsApp Business Cloud API account (set by the Admin LPSE).

    Nothing is sent unless ``enabled`` and the phone number ID, access token and
    app secret are all filled in. Secrets are encrypted at rest (ENCRYPTION_KEYS).
    """

    office = models.OneToOneField("offices.Office", on_delete=models.CASCADE,
                                  related_name="whatsapp_settings",
                                  verbose_name=_("kantor LPSE"))
    enabled = models.BooleanField(_("aktif"), default=False)
    phone_number_id = models.CharField(_("Phone number ID"), max_length=40, blank=True)
    access_token = EncryptedTextField(_("access token"), max_length=1000, blank=True)
    app_secret = EncryptedTextField(
        _("app secret"), max_length=200, blank=True,
        help_text=_("Dari Meta App Dashboard; memverifikasi tanda tangan webhook."))
    verify_token = models.CharField(
        _("verify token webhook"), max_length=100, blank=True,
        help_text=_("Teks bebas yang sama dengan yang diisi di pengaturan webhook Meta."))
    api_base_url = models.URLField(_("alamat API"), default=DEFAULT_API_BASE_URL)
    language_code = models.CharField(_("kode bahasa template"), max_length=10, default="id")
    # {message key: approved template name}; a key left out uses the default name.
    template_names = models.JSONField(_("nama template"), default=dict, blank=True)

    class Meta:
        verbose_name = _("pengaturan WhatsApp")
        verbose_name_plural = _("pengaturan WhatsApp")

    def __str__(self):
        return f"{self.office} — WhatsApp"

    @property
    def is_configured(self) -> bool:
        return bool(self.phone_number_id and self.access_token and self.app_secret)

    @property
    def is_active(self) -> bool:
        return self.enabled and self.is_configured


class WhatsAppContact(models.Model):
    """A user's WhatsApp number (E.164) and their explicit, revocable opt-in."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="whatsapp_contact")
    phone = models.CharField(_("nomor WhatsApp"), max_length=20)
    opted_in = models.BooleanField(_("bersedia menerima WhatsApp"), default=False)
    opted_in_at = models.DateTimeField(null=True, blank=True)
    opted_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("kontak WhatsApp")
        verbose_name_plural = _("kontak WhatsApp")

    def __str__(self):
        return self.phone


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Dalam antrean")
    SENDING = "sending", _("Sedang dikirim")
    # The call's outcome is unknown (timeout after the request left, or the
    # worker died): never resent automatically, since the API has no idempotency key.
    UNCERTAIN = "uncertain", _("Tidak pasti")
    ACCEPTED = "accepted", _("Diterima WhatsApp")
    SENT = "sent", _("Terkirim")
    DELIVERED = "delivered", _("Sampai")
    READ = "read", _("Dibaca")
    FAILED = "failed", _("Gagal")


class WhatsAppMessage(models.Model):
    """One template message, stored with the email it copies (the outbox row)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                             related_name="+")
    email = models.ForeignKey("notifications.OutboundEmail", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    key = models.CharField(_("jenis"), max_length=60)
    to = models.CharField(_("kepada"), max_length=20)
    template_name = models.CharField(_("template"), max_length=512)
    language = models.CharField(max_length=10, default="id")
    parameters = models.JSONField(default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=MessageStatus.choices,
                              default=MessageStatus.QUEUED)
    wamid = models.CharField(_("ID pesan WhatsApp"), max_length=200, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    status_at = models.DateTimeField(_("status diperbarui"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("pesan WhatsApp")
        verbose_name_plural = _("pesan WhatsApp")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "last_attempt_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=MessageStatus.values),
                                   name="whatsappmessage_status_valid"),
        ]

    def __str__(self):
        return f"{self.template_name} → {self.to}"
