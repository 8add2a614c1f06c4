"""allauth's account adapter: sign-up makes vendors only, limits count per the real client
IP, and every account email goes through the durable outbox (confidential: staff see that
it was sent, never its links)."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from verifikasi.accounts.client_ip import client_ip
from verifikasi.accounts.models import Role
from verifikasi.offices.selectors import office_default

from .services import email_queue_message


class AccountAdapter(DefaultAccountAdapter):
    """allauth, adapted: signup makes vendors only; its emails use the durable outbox."""

    def save_user(self, request, user, form, commit=True):
        user.role = Role.VENDOR
        user.office = None
        return super().save_user(request, user, form, commit=commit)

    def get_client_ip(self, request):
        # allauth's login, sign-up and reset limits count per this address.
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied(_("Alamat IP klien tidak dapat ditentukan."))
        return ip

    def send_mail(self, template_prefix, email, context):
        # Render with allauth's own templates (ours, in templates/account/email/,
        # override them and name the office), then hand the message to the
        # outbox so an SMTP outage loses nothing.
        request = allauth_context.request
        office = office_default()
        ctx = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request) if request is not None else None,
            "office": office,
            "SITE_URL": settings.SITE_URL,
            **context,
        }
        msg = self.render_mail(template_prefix, email, ctx)
        email_queue_message(
            message=msg, office=office, template=template_prefix.rsplit("/", 1)[-1],
            confidential=True,
        )
