"""The vendor's "Data saya": what is held, why, how long; a copy; requests (UU PDP)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from verifikasi.accounts.decorators import vendor_required
from verifikasi.accounts.models import Role
from verifikasi.core.audit import audit_log
from verifikasi.core.event_text import describe
from verifikasi.core.http import private_file
from verifikasi.offices.selectors import office_default
from verifikasi.registrations.selectors import registration_current_for_vendor

from . import exports, requests
from .erasure import erasure_plan
from .forms import DataRequestForm
from .holdings import PAGE_AUDIT, PAGE_EMAILS, audit_about, emails_to, holdings_for
from .periods import retention_classes
from .selectors import data_export_for_download


def _page(request, *, form=None, status=200):
    office = office_default()
    holdings = holdings_for(request.user)
    audit = list(audit_about(holdings)[:PAGE_AUDIT])
    for event in audit:
        event.label = describe(event.action, event.details)
        event.by = _("Anda") if event.actor_id == request.user.pk else (
            Role(event.actor_role).label if event.actor_role in Role.values else _("Sistem"))
    response = render(request, "privacy/my_data.html", {
        "office": office,
        "holdings": holdings,
        "periods": retention_classes(office),
        "emails": list(emails_to(holdings)[:PAGE_EMAILS]),
        "audit": audit,
        "plan": erasure_plan(holdings, office),
        "form": form or DataRequestForm(),
    }, status=status)
    audit_log(action="privacy.page_viewed", actor=request.user, office=office,
              obj=request.user, request=request)
    return private_file(response)


@vendor_required
@require_GET
def my_data(request):
    """What the office holds about me, why and for how long (UU PDP Pasal 5)."""
    return _page(request)


@vendor_required
@require_POST
def export_request(request):
    exports.data_export_request(user=request.user, office=office_default(), request=request)
    messages.success(request, _("Salinan data Anda sedang disiapkan. Kami mengirim email bila "
                                "sudah dapat diunduh."))
    return redirect("privacy_my_data")


@vendor_required
@require_GET
def export_download(request, code):
    export = data_export_for_download(request.user, code)
    exports.data_export_download_log(export=export, actor=request.user, request=request)
    return private_file(FileResponse(export.file.open("rb"), as_attachment=True,
                                     content_type="application/zip",
                                     filename=f"data-saya-{export.requested_at:%Y%m%d}.zip"))


@vendor_required
@require_POST
def request_file(request):
    form = DataRequestForm(request.POST)
    if form.is_valid():
        office = office_default()
        try:
            requests.data_request_file(
                user=request.user, office=office, kind=form.cleaned_data["kind"],
                registration=registration_current_for_vendor(request.user, office),
                field=form.cleaned_data["field"], details=form.cleaned_data["details"],
                request=request)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Permintaan Anda kami terima. Kantor menjawab paling "
                                        "lambat 3×24 jam; statusnya tampil di halaman ini."))
            return redirect("privacy_my_data")
    return _page(request, form=form, status=400)
