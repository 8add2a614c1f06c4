"""/admin pages for accounts, and the third-party pages the office scoping must cover.

These live in core, not in accounts, because accounts (the bottom layer) may not import
the shared admin bases. The third-party ModelAdmins are imported first (which registers
them), then replaced: an office admin manages the email addresses and authenticators of
their own office's staff; the task queue and groups are the platform operator's only.
"""

from allauth.account.admin import EmailAddressAdmin as BaseEmailAddressAdmin
from allauth.account.models import EmailAddress
from allauth.mfa.admin import AuthenticatorAdmin as BaseAuthenticatorAdmin
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm
from django.contrib.auth.models import Group
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin as BaseDBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from verifikasi.accounts.models import STAFF_ROLES, Role, User

from .admin_base import OfficeScopedAdmin, PlatformOnlyAdmin, ReadOnlyAdmin, admin_office_id

# Importing the third-party admin modules above registered their ModelAdmins: replace them.
for _model in (EmailAddress, Authenticator, Group, DBTaskResult):
    admin.site.unregister(_model)


class UserCreationForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name", "role", "office"]


@admin.register(User)
class UserAdmin(OfficeScopedAdmin, BaseUserAdmin):
    single_line_fields = ("full_name",)
    """Staff accounts. An office admin manages their own office's staff (never vendors,
    never the platform operator) and cannot grant admin-site powers beyond the role."""

    add_form = UserCreationForm
    office_rows_filter = Q(is_superuser=False, role__in=STAFF_ROLES)
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "office", "is_active", "last_login"]
    list_filter = ["role", "office", "is_active"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profil"), {"fields": ["full_name", "role", "office"]}),
        (_("Hak akses"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Waktu"), {"fields": ["last_login", "date_joined"]}),
    ]
    office_fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profil"), {"fields": ["full_name", "role", "office"]}),
        (_("Hak akses"), {"fields": ["is_active"]}),
        (_("Waktu"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "role", "office",
                                                  "password1", "password2"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        if obj is not None and not request.user.is_superuser:
            return self.office_fieldsets
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ["last_login", "date_joined"]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not request.user.is_superuser:
            kwargs["choices"] = [(r.value, r.label) for r in STAFF_ROLES]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        # Accounts are deactivated, never deleted: the audit log keeps its actors.
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if admin_office_id(request.user) is not None:
            # An office admin's account may use /admin; other staff may not.
            obj.is_staff = obj.role == Role.ADMIN
        super().save_model(request, obj, form, change)


class OfficeStaffRowAdmin(OfficeScopedAdmin):
    """Rows owned by a user: an office admin's are those of their office's staff."""

    office_path = "user__office"
    office_rows_filter = Q(user__is_superuser=False, user__role__in=STAFF_ROLES)


@admin.register(EmailAddress)
class EmailAddressAdmin(OfficeStaffRowAdmin, BaseEmailAddressAdmin):
    pass


@admin.register(Authenticator)
class AuthenticatorAdmin(ReadOnlyAdmin, OfficeStaffRowAdmin, BaseAuthenticatorAdmin):
    """A lost phone: the office admin deletes the staff member's authenticator, who then
    sets up TOTP again. The secret itself is never shown."""

    fields = ["user", "type", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_delete_permission(self, request, obj=None):
        return OfficeScopedAdmin.has_delete_permission(self, request, obj)


@admin.register(Group)
class GroupAdmin(PlatformOnlyAdmin, BaseGroupAdmin):
    pass


@admin.register(DBTaskResult)
class DBTaskResultAdmin(PlatformOnlyAdmin, BaseDBTaskResultAdmin):
    pass
