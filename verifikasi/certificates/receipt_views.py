"""C.7: the vendor confirms receipt of the certificate, from the email or the home page."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from verifikasi.accounts.decorators import vendor_required
from verifikasi.registrations.models import RegistrationStatus
from verifikasi.registrations.selectors import registration_for_vendor

from . import outcome


def receipt_by_link(request, token):
    """The emailed link: one click on the page it opens confirms receipt, no login needed.

    GET only shows the page (mail scanners open links); the button POSTs.
    """
    certificate = outcome.certificate_from_receipt_token(token)
    if certificate is None or certificate.revoked_at:
        raise Http404
    registration = certificate.registration
    if request.method == "POST" and registration.status == RegistrationStatus.CERTIFICATE_SENT:
        outcome.receipt_confirm(registration=registration, actor=None, request=request)
        registration.refresh_from_db()
    return render(request, "certificates/receipt.html",
                  {"registration": registration, "certificate": certificate,
                   "confirmed": registration.status == RegistrationStatus.COMPLETED})


@vendor_required
@require_POST
def receipt_from_home(request, code):
    registration = registration_for_vendor(request.user, code)
    outcome.receipt_confirm(registration=registration, actor=request.user, request=request)
    messages.success(request, _("Terima kasih. Proses verifikasi Anda telah selesai."))
    return redirect("home")


