"""Who may open a page: one decorator per group of roles, 403 with a message otherwise."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from .models import STAFF_ROLES, Role


def role_required(*roles, message):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if request.user.role not in roles:
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


vendor_required = role_required(Role.VENDOR, message=_("Halaman ini untuk Pelaku Usaha."))
# Verifiers and the coordinator: the team that reviews, schedules and runs the calls.
team_required = role_required(Role.VERIFIER, Role.COORDINATOR,
                              message=_("Halaman ini untuk tim verifikator."))
office_staff_required = role_required(*STAFF_ROLES, message=_("Halaman ini untuk staf LPSE."))
