"""Who sees what in /admin: the shared bases every ModelAdmin of the project uses.

Two kinds of people log in to /admin (see docs/roles.md):

- an office admin (role ``admin``, ``is_staff``, not a superuser) manages their own
  office only: every ModelAdmin they reach is an ``OfficeScopedAdmin``, which filters
  its rows, its foreign-key choices and its list filters to that office;
- the platform operator (a superuser, made only by ``manage.py createsuperuser``) sees
  everything, including the ``PlatformOnlyAdmin`` pages no office admin sees.

An office admin's rights come from the role, not from Django's per-model permissions,
so a permission granted by mistake never opens a page outside their office. A
ModelAdmin that is neither of the two is a mistake the admin sweep test reports.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q

from verifikasi.accounts.models import Role
from verifikasi.offices.models import Office

from .validators import validate_single_line


def admin_office_id(user) -> int | None:
    """The office ``user`` administers in /admin, or None when they are no office admin."""
    if (user.is_authenticated and user.is_active and user.is_staff
            and not user.is_superuser and user.role == Role.ADMIN and user.office_id):
        return user.office_id
    return None


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record the application writes: viewable here, never added, edited or deleted."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PlatformOnlyAdmin(admin.ModelAdmin):
    """Data of no single office (workers, task queue, groups): the operator's only."""

    def has_module_permission(self, request):
        return request.user.is_superuser and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return request.user.is_superuser and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)


class OfficeScopedAdmin(admin.ModelAdmin):
    """Rows of one office: an office admin reads and changes their own office's only.

    ``office_path`` is the lookup from the model to its Office ("office",
    "registration__office", "pk" for Office itself). Every page derives from
    ``get_queryset`` (changelist, search, actions, change, delete, history), foreign-key
    choices come from the related model's own scoped queryset, and list filters offer
    only values found in the office's rows.
    """

    office_path = "office"
    # Further narrows an office admin's rows (e.g. no superuser among the users).
    office_rows_filter: Q | None = None

    # -- rows -----------------------------------------------------------------------
    def scope_queryset(self, request, queryset):
        if request.user.is_superuser:
            return queryset
        office_id = admin_office_id(request.user)
        if office_id is None:
            return queryset.none()
        queryset = queryset.filter(**{self.office_path: office_id})
        return queryset if self.office_rows_filter is None else queryset.filter(
            self.office_rows_filter)

    def get_queryset(self, request):
        return self.scope_queryset(request, super().get_queryset(request))

    def _may(self, request, obj=None) -> bool:
        if request.user.is_superuser:
            return True
        if admin_office_id(request.user) is None:
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    # -- permissions: by role for office admins, Django's own for the operator ----------
    def has_module_permission(self, request):
        if request.user.is_superuser:
            return super().has_module_permission(request)
        return self._may(request)

    def has_view_permission(self, request, obj=None):
        if request.user.is_superuser:
            return super().has_view_permission(request, obj)
        return self._may(request, obj)

    def has_add_permission(self, request, *args):
        if request.user.is_superuser:
            return super().has_add_permission(request, *args)
        return self._may(request)

    def has_change_permission(self, request, obj=None):
        if request.user.is_superuser:
            return super().has_change_permission(request, obj)
        return self._may(request, obj)

    def has_delete_permission(self, request, obj=None):
        if request.user.is_superuser:
            return super().has_delete_permission(request, obj)
        return self._may(request, obj)

    # -- choices --------------------------------------------------------------------
    def scoped_choices(self, request, model):
        """The rows of ``model`` an office admin may pick: none unless their office's."""
        if request.user.is_superuser:
            return model._default_manager.all()
        office_id = admin_office_id(request.user)
        related_admin = self.admin_site._registry.get(model)
        if isinstance(related_admin, OfficeScopedAdmin):
            return related_admin.get_queryset(request)
        if model is Office:
            return Office.objects.filter(pk=office_id)
        field_names = {f.name for f in model._meta.get_fields()}
        if "office" in field_names and office_id is not None:
            return model._default_manager.filter(office_id=office_id)
        return model._default_manager.none()

    # Fields whose model lives below core (offices, accounts) and so cannot carry core's
    # validator itself: the admin form adds it (no line break or bidi control reaches a
    # certificate, an email header or an invite).
    single_line_fields: tuple[str, ...] = ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.name in self.single_line_fields:
            field.validators.append(validate_single_line)
        return field

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            kwargs["queryset"] = self.scoped_choices(request, db_field.remote_field.model)
            if db_field.name in (*self.raw_id_fields, *self.get_autocomplete_fields(request)):
                # A raw id field shows the name of whatever id is posted; a select only
                # its choices (an office's rows are few).
                kwargs.setdefault("widget", forms.Select)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            kwargs["queryset"] = self.scoped_choices(request, db_field.remote_field.model)
            if db_field.name in (*self.raw_id_fields, *self.get_autocomplete_fields(request)):
                kwargs.setdefault("widget", forms.SelectMultiple)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        office_id = admin_office_id(request.user)
        if office_id is not None and self.office_path == "office":
            initial.setdefault("office", office_id)
        return initial

    # -- list filters ---------------------------------------------------------------
    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if request.user.is_superuser:
            return filters
        scoped = []
        for item in filters:
            if item == self.office_path:
                continue  # one office: nothing to filter, and no other office's name
            field = _field_or_none(self.model, item) if isinstance(item, str) else None
            if field is not None and field.is_relation:
                # Offer only the related rows that occur in this office's rows.
                scoped.append((item, RelatedOnlyFieldListFilter))
            else:
                scoped.append(item)
        return scoped


def _field_or_none(model, name: str):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
