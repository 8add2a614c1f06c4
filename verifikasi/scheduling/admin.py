from django.contrib import admin

from .models import Appointment, AppointmentOption, Availability, Closure, SlotBooking


@admin.register(Availability)
class AvailabilityAdmin(admin.ModelAdmin):
    list_display = ["office", "slot_minutes", "capacity", "min_notice_working_days",
                    "horizon_days", "updated_at"]
    readonly_fields = ["updated_at", "updated_by"]


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
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


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    """Read-only: appointments change through the scheduling services (and the workflow)."""

    list_display = ["registration", "state", "start", "sequence", "office"]
    list_filter = ["office", "state"]
    search_fields = ["registration__company_name", "registration__vendor__email"]
    inlines = [OptionInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SlotBooking)
class SlotBookingAdmin(admin.ModelAdmin):
    list_display = ["start", "seat_no", "capacity", "appointment", "office"]
    list_filter = ["office"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
