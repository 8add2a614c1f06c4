from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from verifikasi.core.admin_base import OfficeScopedAdmin
from verifikasi.offices.models import Office

from .defaults import office_setup_defaults
from .models import DeficiencyReason, DocumentType


# Registered here, not in offices (the bottom layer may import no other app): a new
# office starts with the procedure's checklist and reasons, which registrations owns.
@admin.register(Office)
class OfficeAdmin(OfficeScopedAdmin):
    single_line_fields = ("name", "short_name", "address", "phone", "timezone_label")
    """An office admin edits their own office's details; only the platform operator
    adds or removes an office."""

    office_path = "pk"
    list_display = ["name", "code", "reply_to_email", "spse_url", "timezone"]
    search_fields = ["name", "code"]
    fieldsets = [
        (None, {"fields": ["code", "name", "short_name", "letterhead", "address", "phone",
                           "reply_to_email", "spse_url", "timezone", "timezone_label"]}),
        # offices/workdays.py counts these (issues 19 and 20).
        (_("Hari kerja dan batas waktu"), {"fields": [
            "service_days", "revision_deadline_days", "sla_working_days"]}),
        # core/retention_policy.py: the one table these periods belong to.
        (_("Masa simpan data (UU PDP)"), {"fields": [
            "retention_document_days", "retention_registration_days",
            "retention_outbox_body_days", "retention_ip_days",
            "retention_rights_export_days"]}),
    ]

    def has_add_permission(self, request):
        return request.user.is_superuser and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            office_setup_defaults(obj)


@admin.register(DocumentType)
class DocumentTypeAdmin(OfficeScopedAdmin):
    list_display = ["order", "name", "code", "condition", "active", "office"]
    list_display_links = ["name"]
    list_filter = ["office", "condition", "active"]


@admin.register(DeficiencyReason)
class DeficiencyReasonAdmin(OfficeScopedAdmin):
    list_display = ["order", "label", "code", "active", "office"]
    list_display_links = ["label"]
    list_filter = ["office", "active"]
