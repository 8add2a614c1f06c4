from django.contrib import admin

from .models import DeficiencyReason, DocumentType


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ["order", "name", "code", "condition", "active", "office"]
    list_display_links = ["name"]
    list_filter = ["office", "condition", "active"]


@admin.register(DeficiencyReason)
class DeficiencyReasonAdmin(admin.ModelAdmin):
    list_display = ["order", "label", "code", "active", "office"]
    list_display_links = ["label"]
    list_filter = ["office", "active"]
