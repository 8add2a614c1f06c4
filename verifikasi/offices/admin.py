from django.contrib import admin

from .models import Office


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "reply_to_email", "spse_url", "timezone"]
    search_fields = ["name", "code"]
