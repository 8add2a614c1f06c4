from django.contrib import admin

from .models import Certificate, CertificateSequence, CertificateSettings


@admin.register(CertificateSettings)
class CertificateSettingsAdmin(admin.ModelAdmin):
    list_display = ["office", "number_pattern", "signer_name", "signer_title",
                    "require_countersign", "receipt_reminder_days"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record of what was issued: viewable, never edited or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["number", "company_name", "office", "issued_at", "revoked_at",
                    "receipt_confirmed_at"]
    list_filter = ["office", "year"]
    search_fields = ["number", "company_name"]
    date_hierarchy = "issued_at"
    # The file is left out: downloads go through the audited view.
    exclude = ["file"]
    list_select_related = ["office"]


@admin.register(CertificateSequence)
class CertificateSequenceAdmin(ReadOnlyAdmin):
    list_display = ["office", "year", "last_value"]
    list_filter = ["office"]
