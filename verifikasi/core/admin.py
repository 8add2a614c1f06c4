from django.contrib import admin

from .models import AuditEvent, WorkerHeartbeat


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit log, readable by admins and never editable (append-only)."""

    list_display = ["seq", "created_at", "action", "actor_email", "actor_role", "object_type",
                    "object_id", "ip"]
    list_filter = ["action", "actor_role", "office"]
    search_fields = ["action", "actor_email", "object_id"]
    date_hierarchy = "created_at"
    ordering = ["-seq"]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyAdmin):
    list_display = ["worker_id", "hostname", "pid", "started_at", "last_seen"]
