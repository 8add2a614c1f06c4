from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from verifikasi.core.admin_base import OfficeScopedAdmin

from .models import Meeting, MeetingSettings, MeetingState, Recording
from .services import meeting_retry

SECRET_FIELDS = ("zoom_client_secret", "zoom_webhook_secret_token", "jitsi_app_secret")
ERR_ZOOM_CREDENTIALS = _("Untuk Zoom, isi Account ID, Client ID dan Client Secret.")
ERR_JITSI_APP_ID = _("Isi Jitsi app ID bila app secret diisi.")


class MeetingSettingsForm(forms.ModelForm):
    """Secrets are write-only: never shown back, kept when the field is left empty."""

    clear_zoom_client_secret = forms.BooleanField(
        label=_("Hapus Zoom Client Secret"), required=False)
    clear_zoom_webhook_secret_token = forms.BooleanField(
        label=_("Hapus Zoom webhook secret token"), required=False)
    clear_jitsi_app_secret = forms.BooleanField(label=_("Hapus Jitsi app secret"),
                                                required=False)

    class Meta:
        model = MeetingSettings
        fields = [
            "office", "provider", "default_duration_minutes", "recording_retention_days",
            "zoom_account_id", "zoom_client_id", "zoom_client_secret", "zoom_user_id",
            "zoom_webhook_secret_token", "jitsi_domain", "jitsi_app_id", "jitsi_app_secret",
            "jitsi_audience",
        ]
        widgets = {name: forms.PasswordInput(render_value=False) for name in SECRET_FIELDS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in SECRET_FIELDS:
            if getattr(self.instance, name, ""):
                self.fields[name].help_text = _("Tersimpan. Kosongkan untuk tidak mengubah.")
            else:
                del self.fields[f"clear_{name}"]

    def _clean_secret(self, name):
        value = self.cleaned_data.get(name, "")
        if self.cleaned_data.get(f"clear_{name}"):
            return ""
        return value or getattr(self.instance, name, "")

    def clean(self):
        data = super().clean()
        for name in SECRET_FIELDS:
            data[name] = self._clean_secret(name)
            setattr(self.instance, name, data[name])
        if data.get("provider") == "zoom" and not all(
            data.get(f) for f in ("zoom_account_id", "zoom_client_id", "zoom_client_secret")
        ):
            raise forms.ValidationError(ERR_ZOOM_CREDENTIALS)
        if data.get("jitsi_app_secret") and not data.get("jitsi_app_id"):
            raise forms.ValidationError(ERR_JITSI_APP_ID)
        return data


@admin.register(MeetingSettings)
class MeetingSettingsAdmin(OfficeScopedAdmin):
    form = MeetingSettingsForm
    list_display = ["office", "provider", "default_duration_minutes", "recording_retention_days"]

    def get_fieldsets(self, request, obj=None):
        clear = [f"clear_{name}" for name in SECRET_FIELDS
                 if obj is not None and getattr(obj, name, "")]
        zoom = ["zoom_account_id", "zoom_client_id", "zoom_client_secret", "zoom_user_id",
                "zoom_webhook_secret_token"]
        jitsi = ["jitsi_domain", "jitsi_app_id", "jitsi_app_secret", "jitsi_audience"]
        return [
            (None, {"fields": ["office", "provider", "default_duration_minutes",
                               "recording_retention_days"]}),
            ("Zoom", {"fields": zoom + [c for c in clear if c.removeprefix("clear_") in zoom]}),
            ("Jitsi", {"fields": jitsi + [c for c in clear
                                          if c.removeprefix("clear_") in jitsi]}),
        ]


@admin.register(Meeting)
class MeetingAdmin(OfficeScopedAdmin):
    list_display = ["start_at", "topic", "provider", "state", "attempts", "last_error"]
    list_filter = ["state", "provider", "office"]
    search_fields = ["topic", "external_id", "registration__company_name"]
    # The host link logs whoever opens it in as the Zoom host: not shown here.
    exclude = ["host_url"]
    readonly_fields = [f.name for f in Meeting._meta.fields if f.name != "host_url"]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Coba buat lagi video call yang gagal"))
    def retry(self, request, queryset):
        count = 0
        for meeting in queryset.filter(state=MeetingState.FAILED):
            meeting_retry(meeting=meeting, actor=request.user, request=request)
            count += 1
        self.message_user(request, _("%(n)d video call dicoba lagi.") % {"n": count},
                          messages.SUCCESS)


@admin.register(Recording)
class RecordingAdmin(OfficeScopedAdmin):
    office_path = "registration__office"
    list_display = ["created_at", "registration", "source", "size", "delete_after"]
    list_filter = ["source"]
    # Private storage has no URLs: the file is reached through the audited views only.
    exclude = ["file"]
    readonly_fields = [f.name for f in Recording._meta.fields if f.name != "file"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the retention job deletes, and audits it
