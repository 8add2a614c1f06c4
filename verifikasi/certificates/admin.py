from django.contrib import admin

from verifikasi.core.admin_base import OfficeScopedAdmin, ReadOnlyAdmin

from .models import Certificate, CertificateSequence, CertificateSettings


@admin.register(CertificateSettings)
class CertificateSettingsAdmin(OfficeScopedAdmin):
    list_display = ["office", "number_pattern", "signer_name", "signer_title",
                    "require_countersign", "receipt_reminder_days"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin, OfficeScopedAdmin):
    """A record of what was issued: viewable, never edited or deleted here."""

    list_display = ["number", "company_name", "office", "issued_at", "revoked_at",
                    "receipt_confirmed_at"]
    list_filter = ["office", "year"]
    search_fields = ["number", "company_name"]
    date_hierarchy = "issued_at"
    # The file is left out: downloads go through the audited view.
    exclude = ["file"]
    list_select_related = ["office"]


@admin.register(CertificateSequence)
class CertificateSequenceAdmin(ReadOnlyAdmin, OfficeScopedAdmin):
    list_display = ["office", "year", "last_value"]
    list_filter = ["office"]
