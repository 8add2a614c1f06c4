import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("Dalam antrean")
    SENDING = "sending", _("Sedang dikirim")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal")


class OutboundEmail(models.Model):
    """One email, stored before it is sent (the outbox, Kotak keluar).

    The row is written in the transaction of the act that causes it and the
    worker delivers it, so a rolled-back act sends nothing and a committed one
    is never lost; failures are retried and a final failure stays visible.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    office = models.ForeignKey(
        "offices.Office", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    template = models.CharField(_("jenis"), max_length=100, blank=True)
    # Account emails (address confirmation, password reset, MFA notices) carry
    # links that act as the account holder: staff see that one was sent, never
    # its text, and the text is deleted once delivered.
    confidential = models.BooleanField(
        _("email akun (isi dirahasiakan)"), default=False, editable=False,
        help_text=_("Isi email akun tidak ditampilkan kepada siapa pun dan dihapus setelah "
                    "terkirim."),
    )
    from_email = models.CharField(max_length=254)
    to = models.JSONField(_("kepada"))
    reply_to = models.JSONField(default=list, blank=True)
    subject = models.CharField(_("subjek"), max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # [{"name": ..., "path": <default storage name>, "mimetype": ...}]
    attachments = models.JSONField(default=list, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    # The worker that claimed the last attempt: while its heartbeat is fresh the
    # delivery is in progress; once it has expired the worker died mid-delivery.
    claimed_by = models.CharField(max_length=64, blank=True, editable=False)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("terkirim"), null=True, blank=True)
    body_deleted_at = models.DateTimeField(_("isi dihapus"), null=True, blank=True,
                                           editable=False)

    class Meta:
        verbose_name = _("email keluar")
        verbose_name_plural = _("email keluar")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "last_attempt_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=EmailStatus.values), name="outboundemail_status_valid"
            )
        ]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)}"

    @property
    def body_readable(self) -> bool:
        """Whether any page may show this message's text (never for account emails)."""
        return not self.confidential


class OfficeMessage(models.Model):
    """An office's own subject and text for one email, replacing the file default.

    ``key`` is the email's folder under ``templates/emails/`` (the catalog's key); the
    text is checked by ``office_templates`` before it is stored. Deleting the row is
    "revert to default". Every save and revert is an audit event with both texts.
    """

    office = models.ForeignKey("offices.Office", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("email"), max_length=100)
    subject = models.CharField(_("subjek"), max_length=255)
    body = models.TextField(_("isi"))
    updated_by = models.ForeignKey("accounts.User", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("teks email kantor")
        verbose_name_plural = _("teks email kantor")
        constraints = [
            models.UniqueConstraint(fields=["office", "key"], name="officemessage_one_per_key")
        ]

    def __str__(self):
        return f"{self.office_id}:{self.key}"
