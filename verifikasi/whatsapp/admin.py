from django import forms
from django.contrib import admin, messages
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from verifikasi.core.admin_base import OfficeScopedAdmin

from .messages import MESSAGES
from .models import MessageStatus, WhatsAppMessage, WhatsAppSettings
from .services import whatsapp_resend

SECRET_FIELDS = ("access_token", "app_secret")
ERR_INCOMPLETE = _("Untuk mengaktifkan WhatsApp, isi Phone number ID, access token dan "
                   "app secret.")


class WhatsAppSettingsForm(forms.ModelForm):
    """Secrets are write-only (kept when left empty); one template name per message."""

    class Meta:
        model = WhatsAppSettings
        fields = ["office", "enabled", "phone_number_id", "access_token", "app_secret",
                  "verify_token", "api_base_url", "language_code"]
        widgets = {name: forms.PasswordInput(render_value=False) for name in SECRET_FIELDS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in SECRET_FIELDS:
            if getattr(self.instance, name, ""):
                self.fields[name].help_text = _("Tersimpan. Kosongkan untuk tidak mengubah.")
        for key, name in (self.instance.template_names or {}).items():
            self.initial.setdefault(f"template_{key}", name)

    def clean(self):
        data = super().clean()
        for name in SECRET_FIELDS:
            data[name] = data.get(name) or getattr(self.instance, name, "")
            setattr(self.instance, name, data[name])
        self.instance.template_names = {
            m.key: data[f"template_{m.key}"].strip() for m in MESSAGES
            if (data.get(f"template_{m.key}") or "").strip()}
        if data.get("enabled") and not (data.get("phone_number_id") and data["access_token"]
                                        and data["app_secret"]):
            raise forms.ValidationError(ERR_INCOMPLETE)
        return data


# One field per message of the table (declared, so the admin's fieldsets may name them).
for _message in MESSAGES:
    WhatsAppSettingsForm.base_fields[f"template_{_message.key}"] = \
        WhatsAppSettingsForm.declared_fields[f"template_{_message.key}"] = forms.CharField(
            label=_message.label, max_length=512, required=False,
            help_text=format_lazy("{} {}", _("Nama template yang disetujui Meta. Bila kosong:"),
                                  _message.default_template))


@admin.register(WhatsAppSettings)
class WhatsAppSettingsAdmin(OfficeScopedAdmin):
    form = WhatsAppSettingsForm
    list_display = ["office", "enabled", "phone_number_id"]

    def get_fieldsets(self, request, obj=None):
        return [
            (None, {"fields": WhatsAppSettingsForm.Meta.fields}),
            (_("Nama template"), {"fields": [f"template_{m.key}" for m in MESSAGES]}),
        ]


@admin.register(WhatsAppMessage)
class WhatsAppMessageAdmin(OfficeScopedAdmin):
    list_display = ["created_at", "key", "to", "template_name", "status", "attempts",
                    "last_error"]
    list_filter = ["status", "key"]
    search_fields = ["to", "wamid"]
    readonly_fields = [f.name for f in WhatsAppMessage._meta.fields]
    actions = ["resend"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Kirim ulang pesan gagal atau tidak pasti (periksa dulu "
                                "bahwa pesan belum sampai)"), permissions=["view"])
    def resend(self, request, queryset):
        count = sum(whatsapp_resend(message=row, actor=request.user, request=request)
                    for row in queryset.filter(status__in=[MessageStatus.FAILED,
                                                           MessageStatus.UNCERTAIN]))
        self.message_user(request, _("%(n)d pesan WhatsApp dimasukkan kembali ke antrean.")
                          % {"n": count}, messages.SUCCESS)
