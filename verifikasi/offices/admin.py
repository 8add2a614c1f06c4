from django.contrib import admin

from .models import Office


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "reply_to_email", "spse_url", "timezone"]
    search_fields = ["name", "code"]

    def save_model(self, request, obj, form, change):
        from verifikasi.registrations.defaults import office_setup_defaults

        super().save_model(request, obj, form, change)
        if not change:
            # A new office starts with the procedure's checklist and reasons.
            office_setup_defaults(obj)
