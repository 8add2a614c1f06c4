from django.contrib import admin

from .models import DocumentType


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ["order", "name", "code", "condition", "active", "office"]
    list_display_links = ["name"]
    list_filter = ["office", "condition", "active"]
