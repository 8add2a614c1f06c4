from django.contrib import admin

from . import admin_accounts  # noqa: F401 - registers the accounts' and third parties' admins
from .admin_base import OfficeScopedAdmin, PlatformOnlyAdmin, ReadOnlyAdmin
from .models import AuditEvent, RetentionRun, WorkerHeartbeat


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin, OfficeScopedAdmin):
    """The audit log, readable by admins and never editable (append-only)."""

    list_display = ["seq", "created_at", "action", "actor_email", "actor_role", "object_type",
                    "object_id", "ip"]
    list_filter = ["action", "actor_role", "office"]
    search_fields = ["action", "actor_email", "object_id"]
    date_hierarchy = "created_at"
    ordering = ["-seq"]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyAdmin, PlatformOnlyAdmin):
    list_display = ["worker_id", "hostname", "pid", "started_at", "last_seen"]


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdmin, PlatformOnlyAdmin):
    """The daily retention job's runs and totals (each destruction is in the audit log)."""

    list_display = ["day", "queued_at", "finished_at", "totals"]
    ordering = ["-day"]
