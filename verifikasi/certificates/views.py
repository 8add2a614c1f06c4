"""Certificate pages: the public check (no login), the download, the revocation."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from verifikasi.core.audit import audit_log, client_ip
from verifikasi.core.http import private_file
from verifikasi.registrations import workflow

from . import checking, services
from .forms import CheckUploadForm, RevokeForm
from .selectors import certificate_for_staff, certificate_for_user, certificate_public

CHECK_RATE_LIMIT = 20  # uploads per IP address …
CHECK_RATE_WINDOW = 60 * 60  # … per hour
ERR_RATE_LIMITED = gettext_lazy(
    "Terlalu banyak pemeriksaan dari alamat Anda. Coba lagi dalam satu jam.")


class BoundedUploadHandler(FileUploadHandler):
    """Stops storing an uploaded file once it passes the check limit.

    Django would otherwise write the whole upload to a temporary file before
    the view sees it; past the limit the rest is read and thrown away.
    """

    def __init__(self, request=None):
        super().__init__(request)
        request.certificate_upload_too_large = False

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > checking.MAX_CHECK_BYTES:
            self.request.certificate_upload_too_large = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler builds the file


def _rate_limited(request) -> bool:
    """Count this upload against the IP's hourly allowance in the shared cache."""
    key = f"certificates:check:{client_ip(request) or 'unknown'}"
    cache.add(key, 0, timeout=CHECK_RATE_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=CHECK_RATE_WINDOW)
        count = 1
    return count > CHECK_RATE_LIMIT


def _check_page(request, certificate):
    form, result, error, status = CheckUploadForm(), None, None, 200
    if request.method == "POST":
        if _rate_limited(request):
            error, status = ERR_RATE_LIMITED, 429
        else:
            form = CheckUploadForm(
                request.POST, request.FILES,
                too_large=getattr(request, "certificate_upload_too_large", False))
            if form.is_valid():
                result = checking.certificate_verify_pdf(form.cleaned_data["file"])
    response = render(request, "certificates/check.html", {
        "certificate": certificate,
        "office": certificate.office if certificate else None,
        "form": form,
        "result": result,
        "error": error,
    }, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


@csrf_protect
def _check_code(request, code):
    return _check_page(request, certificate_public(code))


@csrf_protect
def _check_upload(request):
    return _check_page(request, None)


# CSRF is checked inside, after the bounded upload handler is in place: the
# CSRF check reads the POST body, and the handler must see it first.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def certificate_check(request, code):
    """The QR code's target: is this certificate ours and in force? Plus a file check."""
    request.upload_handlers.insert(0, BoundedUploadHandler(request))
    return _check_code(request, code)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def certificate_check_upload(request):
    """Upload a PDF to learn whether it is an unaltered certificate we issued."""
    request.upload_handlers.insert(0, BoundedUploadHandler(request))
    return _check_upload(request)


@login_required
@require_GET
def certificate_download(request, code):
    """The signed PDF, for the vendor it certifies and staff of its office; audited."""
    certificate = certificate_for_user(request.user, code)
    if not certificate.file:
        raise Http404  # deleted at the end of the registration-record period
    audit_log(action="certificate.downloaded", actor=request.user, office=certificate.office,
              obj=certificate, request=request, details={"number": certificate.number})
    safe = re.sub(r"[^A-Za-z0-9]+", "-", certificate.number).strip("-")
    response = FileResponse(certificate.file.open("rb"), as_attachment=True,
                            filename=f"tanda-lulus-verifikasi-{safe}.pdf",
                            content_type="application/pdf")
    return private_file(response)


@login_required
@require_http_methods(["GET", "POST"])
def certificate_revoke(request, code):
    """Staff withdraw a certificate issued in error; the reason is required and internal."""
    certificate = certificate_for_staff(request.user, code)
    workflow.require("revoke_certificate", certificate.registration, request.user)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_revoke(
                certificate=certificate, actor=request.user,
                reason_category=form.cleaned_data["reason_category"],
                reason=form.cleaned_data["reason"], request=request)
        except ValidationError as e:
            form.add_error("reason", e)
        else:
            messages.success(request, _("Tanda lulus %(number)s telah dicabut.")
                             % {"number": certificate.number})
            return redirect("certificate_check", code=certificate.code)
    return render(request, "certificates/revoke.html",
                  {"certificate": certificate, "office": certificate.office, "form": form})
