from allauth.mfa.utils import is_mfa_enabled
from django.shortcuts import redirect
from django.urls import reverse

# Paths a staff member without 2FA may still use: the account pages (to set
# up TOTP or log out), language switch, static files and the health check.
ALLOWED_PREFIXES = ("/akun/", "/i18n/", "/static/", "/healthz")


class StaffTwoFactorMiddleware:
    """Staff must use TOTP: without it they are sent to set it up first.

    This runs before any view, so no vendor data is shown to a staff session
    that has only a password behind it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.is_office_staff
            and not request.path.startswith(ALLOWED_PREFIXES)
            and not is_mfa_enabled(user)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
