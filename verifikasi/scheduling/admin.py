from django.contrib import admin

from verifikasi.core.admin_base import OfficeScopedAdmin, ReadOnlyAdmin, admin_office_id

from .models import Appointment, AppointmentOption, Availability, Closure, SlotBooking


@admin.register(Availability)
class AvailabilityAdmin(OfficeScopedAdmin):
    list_display = ["office", "slot_minutes", "capacity", "min_notice_working_days",
                    "horizon_days", "updated_at"]
    readonly_fields = ["updated_at", "updated_by"]


@admin.register(Closure)
class ClosureAdmin(OfficeScopedAdmin):
    list_display = ["start_date", "end_date", "note", "office"]
    list_filter = ["office"]
    date_hierarchy = "start_date"
    readonly_fields = ["created_by", "created_at"]


class OptionInline(admin.TabularInline):
    model = AppointmentOption
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "start", "end", "created_by", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        # Shown inside an appointment the (office-scoped) parent page already checked.
        return request.user.is_superuser or admin_office_id(request.user) is not None


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin, OfficeScopedAdmin):
    """Read-only: appointments change through the scheduling services (and the workflow)."""

    list_display = ["registration", "state", "start", "sequence", "office"]
    list_filter = ["office", "state"]
    search_fields = ["registration__company_name", "registration__vendor__email"]
    inlines = [OptionInline]


@admin.register(SlotBooking)
class SlotBookingAdmin(ReadOnlyAdmin, OfficeScopedAdmin):
    list_display = ["start", "seat_no", "capacity", "appointment", "office"]
    list_filter = ["office"]
