from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from verifikasi.core.admin_base import OfficeScopedAdmin

from .models import EmailStatus, OutboundEmail
from .services import email_resend

BODY_FIELDS = ["body_text", "body_html", "attachments", "headers"]


@admin.register(OutboundEmail)
class OutboundEmailAdmin(OfficeScopedAdmin):
    list_display = ["created_at", "subject", "recipients", "status", "attempts", "last_error"]
    list_filter = ["status", "template", "office"]
    search_fields = ["subject", "to"]
    actions = ["resend"]
    readonly_fields = [f.name for f in OutboundEmail._meta.fields]

    def get_fields(self, request, obj=None):
        fields = [f.name for f in OutboundEmail._meta.fields if f.name != "id"]
        # An account email: that it was sent is visible, its links never are. And account
        # emails of every office's users are filed under the default office, so an office
        # admin sees no email's text at all; the platform operator sees the others'.
        if not request.user.is_superuser or (obj is not None and not obj.body_readable):
            fields = [f for f in fields if f not in BODY_FIELDS]
        return fields

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("kepada"))
    def recipients(self, obj):
        return ", ".join(obj.to)

    @admin.action(description=_("Kirim ulang email terpilih"))
    def resend(self, request, queryset):
        count = sum(
            email_resend(email=email, actor=request.user, request=request)
            for email in queryset.exclude(status=EmailStatus.SENDING)
        )
        self.message_user(request, _("%(n)d email dimasukkan kembali ke antrean.") % {"n": count},
                          messages.SUCCESS)
