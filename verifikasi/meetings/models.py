"""Video calls (spec C.3–C.5): the meeting a vendor is invited to and its recordings.

A ``Meeting`` is created by the worker after the schedule is confirmed, through
the office's provider (Zoom, a Jitsi room, or a link a verifier pastes). A
``Recording`` is the evidence of C.5, copied from Zoom's cloud or uploaded by
the verifier, kept in private storage until its retention date.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from verifikasi.accounts.crypto import EncryptedTextField
from verifikasi.core.validators import validate_single_line


class Provider(models.TextChoices):
    ZOOM = "zoom", _("Zoom")
    JITSI = "jitsi", _("Jitsi Meet")
    MANUAL = "manual", _("Tautan manual")


class MeetingSettings(models.Model):
    """How one office holds its video calls (set by the Admin LPSE).

    Zoom needs a Server-to-Server OAuth app in the office's Zoom account with
    the scopes to create meetings and read cloud recordings; Jitsi needs
    nothing (meet.jit.si) or the office's own server with token auth.
    """

    office = models.OneToOneField(
        "offices.Office", on_delete=models.CASCADE, related_name="meeting_settings",
        verbose_name=_("kantor LPSE"),
    )
    provider = models.CharField(_("layanan video call"), max_length=10,
                                choices=Provider.choices, default=Provider.MANUAL)

    zoom_account_id = models.CharField(_("Zoom Account ID"), max_length=100, blank=True)
    zoom_client_id = models.CharField(_("Zoom Client ID"), max_length=100, blank=True)
    # Secrets are encrypted in the database (ENCRYPTION_KEYS); the admin never shows them back.
    zoom_client_secret = EncryptedTextField(_("Zoom Client Secret"), max_length=200, blank=True)
    zoom_user_id = models.CharField(
        _("Zoom host (user ID atau email)"), max_length=200, default="me",
        help_text=_("'me' untuk pemilik aplikasi, atau email akun Zoom yang menjadi host."),
    )
    zoom_webhook_secret_token = EncryptedTextField(
        _("Zoom webhook secret token"), max_length=200, blank=True,
        help_text=_("Dari halaman Feature aplikasi Zoom; memverifikasi tanda tangan webhook."),
    )

    jitsi_domain = models.CharField(_("domain Jitsi"), max_length=200, default="meet.jit.si")
    jitsi_app_id = models.CharField(_("Jitsi app ID"), max_length=100, blank=True)
    jitsi_app_secret = EncryptedTextField(
        _("Jitsi app secret"), max_length=200, blank=True,
        help_text=_("Isi hanya untuk server Jitsi sendiri dengan autentikasi token (JWT)."),
    )
    jitsi_audience = models.CharField(_("Jitsi audience (aud)"), max_length=100, blank=True)

    default_duration_minutes = models.PositiveSmallIntegerField(_("durasi bawaan (menit)"),
                                                                default=30)
    recording_retention_days = models.PositiveIntegerField(
        _("masa simpan rekaman (hari)"), null=True, blank=True,
        help_text=_("Kosongkan untuk memakai pengaturan server (RECORDING_RETENTION_DAYS)."),
    )

    class Meta:
        verbose_name = _("pengaturan video call")
        verbose_name_plural = _("pengaturan video call")
        constraints = [
            models.CheckConstraint(condition=Q(provider__in=Provider.values),
                                   name="meetingsettings_provider_valid"),
            models.CheckConstraint(condition=Q(default_duration_minutes__gte=5),
                                   name="meetingsettings_duration_min"),
        ]

    def __str__(self):
        return f"{self.office} — {self.get_provider_display()}"

    @property
    def retention_days(self) -> int:
        return self.recording_retention_days or settings.RECORDING_RETENTION_DAYS


class MeetingState(models.TextChoices):
    PENDING = "pending", _("Sedang dibuat")
    CREATED = "created", _("Siap")
    FAILED_RETRYING = "failed_retrying", _("Gagal dibuat, dicoba lagi")
    FAILED = "failed", _("Gagal dibuat")
    CANCELLED = "cancelled", _("Dibatalkan")


class Meeting(models.Model):
    """One video call of a registration (spec C.3 invitation link, C.4 the call).

    ``sequence`` is raised on every change of time (the invitation's SEQUENCE);
    ``synced_sequence`` is the one the provider last accepted, so an update
    that raced the creation is still sent.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT,
                               related_name="meetings")
    registration = models.ForeignKey("registrations.Registration", on_delete=models.PROTECT,
                                     related_name="meetings")
    provider = models.CharField(_("layanan"), max_length=10, choices=Provider.choices)
    state = models.CharField(_("status"), max_length=16, choices=MeetingState.choices,
                             default=MeetingState.PENDING)
    external_id = models.CharField(_("ID rapat di layanan"), max_length=100, blank=True,
                                   db_index=True)
    join_url = models.URLField(_("tautan undangan"), max_length=2000, blank=True)
    # Zoom's start_url logs whoever opens it in as the host: staff only.
    host_url = models.TextField(_("tautan host"), blank=True)
    password = models.CharField(_("kode sandi"), max_length=32, blank=True)
    start_at = models.DateTimeField(_("mulai"))
    duration_minutes = models.PositiveSmallIntegerField(_("durasi (menit)"))
    topic = models.CharField(_("topik"), max_length=200)
    sequence = models.PositiveIntegerField(default=0)
    synced_sequence = models.IntegerField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    next_attempt_at = models.DateTimeField(_("dicoba lagi pada"), null=True, blank=True)
    # Set before each call that creates the meeting at the provider: a later run
    # first looks there for what an earlier one may have created (sync.py).
    create_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("video call")
        verbose_name_plural = _("video call")
        ordering = ["-start_at"]
        indexes = [models.Index(fields=["registration", "-start_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(provider__in=Provider.values),
                                   name="meeting_provider_valid"),
            models.CheckConstraint(condition=Q(state__in=MeetingState.values),
                                   name="meeting_state_valid"),
        ]

    def __str__(self):
        return f"{self.topic} ({self.start_at:%Y-%m-%d %H:%M})"

    @property
    def end_at(self):
        return self.start_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_active(self) -> bool:
        return self.state != MeetingState.CANCELLED


class RecordingSource(models.TextChoices):
    ZOOM_CLOUD = "zoom_cloud", _("Rekaman cloud Zoom")
    UPLOAD = "upload", _("Diunggah verifikator")


EXTENSIONS = {
    "video/mp4": "mp4",
    "video/webm": "webm",
    "video/quicktime": "mov",
    "audio/mp4": "m4a",
    "audio/mpeg": "mp3",
    "audio/ogg": "ogg",
    "audio/wav": "wav",
}


def recording_upload_to(instance, filename):
    # Never a name from outside: random, under the registration.
    ext = EXTENSIONS.get(instance.content_type, "bin")
    return f"recordings/{instance.registration.code}/{uuid.uuid4().hex}.{ext}"


class Recording(models.Model):
    """The recording of a verification call (spec C.5: "sebagai bukti pelaksanaan verifikasi")."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="recordings")
    registration = models.ForeignKey("registrations.Registration", on_delete=models.PROTECT,
                                     related_name="recordings")
    source = models.CharField(_("sumber"), max_length=12, choices=RecordingSource.choices)
    file = models.FileField(upload_to=recording_upload_to, max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(_("ukuran (byte)"))
    duration_seconds = models.PositiveIntegerField(_("durasi (detik)"), null=True, blank=True)
    content_type = models.CharField(max_length=40)
    original_name = models.CharField(max_length=255, blank=True)
    # Zoom's recording file id: a repeated webhook or a poll finds it already stored.
    external_file_id = models.CharField(max_length=128, blank=True)
    recorded_start = models.DateTimeField(_("mulai rekam"), null=True, blank=True)
    recorded_end = models.DateTimeField(_("selesai rekam"), null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    delete_after = models.DateField(_("dihapus setelah"), db_index=True)

    class Meta:
        verbose_name = _("rekaman")
        verbose_name_plural = _("rekaman")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(source__in=RecordingSource.values),
                                   name="recording_source_valid"),
            models.UniqueConstraint(fields=["meeting", "external_file_id"],
                                    condition=~Q(external_file_id=""),
                                    name="recording_unique_external_file"),
        ]

    def __str__(self):
        return f"{self.get_source_display()} {self.created_at:%Y-%m-%d %H:%M}"


class CallOutcome(models.TextChoices):
    PASS = "pass", _("Lulus verifikasi")
    NOT_YET = "not_yet", _("Belum sesuai")
    NO_SHOW = "no_show", _("Pelaku Usaha tidak hadir")


class Attendee(models.TextChoices):
    DIRECTOR = "director", _("Direktur/Pimpinan/Pemilik Perusahaan")
    REPRESENTATIVE = "representative", _("Penerima kuasa (dengan Surat Kuasa)")


class VerificationCall(models.Model):
    """What the verifier recorded on the call screen (spec C.4: originals shown and held)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    registration = models.ForeignKey("registrations.Registration", on_delete=models.PROTECT,
                                     related_name="calls")
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="calls")
    verifier = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    attendee = models.CharField(_("yang hadir"), max_length=16, choices=Attendee.choices,
                                blank=True)
    attendee_name = models.CharField(_("nama yang hadir"), max_length=150, blank=True,
                                     validators=[validate_single_line])
    power_of_attorney_shown = models.BooleanField(_("Surat Kuasa asli ditunjukkan"), null=True,
                                                  blank=True)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    ended_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    outcome = models.CharField(_("hasil"), max_length=10, choices=CallOutcome.choices)
    notes = models.TextField(_("catatan"), max_length=2000, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("catatan video call")
        verbose_name_plural = _("catatan video call")
        ordering = ["-recorded_at"]
        constraints = [
            models.CheckConstraint(condition=Q(outcome__in=CallOutcome.values),
                                   name="verificationcall_outcome_valid"),
            models.CheckConstraint(condition=Q(attendee="") | Q(attendee__in=Attendee.values),
                                   name="verificationcall_attendee_valid"),
        ]

    def __str__(self):
        return f"{self.registration} {self.outcome} {self.recorded_at:%Y-%m-%d}"


class CallDocumentCheck(models.Model):
    """C.4: one document's original shown on camera and matching the upload — or not."""

    call = models.ForeignKey(VerificationCall, on_delete=models.CASCADE, related_name="checks")
    document_type = models.ForeignKey("registrations.DocumentType", on_delete=models.PROTECT,
                                      related_name="+")
    matches = models.BooleanField(_("asli ditunjukkan dan cocok"))
    note = models.CharField(_("catatan"), max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["call", "document_type"],
                                               name="calldocumentcheck_unique")]

    def __str__(self):
        return f"{self.document_type}: {'cocok' if self.matches else 'tidak cocok'}"
