"""Vendor (Pelaku Usaha) pages: section B of the procedure."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from verifikasi.accounts.decorators import vendor_required
from verifikasi.core.retention_policy import retention_days
from verifikasi.offices.selectors import office_default

from .. import revision, services, uploads, workflow
from ..forms import KALIMANTAN_BARAT, CompanyForm
from ..models import RegistrationStatus
from ..selectors import (
    registration_checklist,
    registration_current_for_vendor,
    registration_for_vendor,
)


@vendor_required
@require_POST
def registration_new(request):
    office = office_default()
    current = registration_current_for_vendor(request.user, office)
    if current is not None and current.is_open:
        return redirect("registration_company", code=current.code)
    registration = services.registration_start(vendor=request.user, office=office,
                                               request=request)
    return redirect("registration_company", code=registration.code)


@vendor_required
def registration_company(request, code):
    """B.2/B.7: company data form."""
    registration = registration_for_vendor(request.user, code)
    editable_fields = services.company_editable_fields(registration)
    editable = editable_fields is None or bool(editable_fields)
    form = CompanyForm(request.POST or None, instance=registration,
                       office=registration.office, editable_fields=editable_fields,
                       flags=revision.flagged_fields(registration))
    if request.method == "POST":
        workflow.require("update_company", registration, request.user)
        if not editable:  # a revision that flagged no company field
            raise workflow.WorkflowError(workflow.ERR_NOT_EDITABLE)
        if form.is_valid():
            try:
                services.registration_update_company(
                    registration=registration, actor=request.user,
                    data=form.company_data(), request=request)
            except workflow.WorkflowError as e:
                form.add_error("npwp", e.message)
            else:
                messages.success(request, _("Data perusahaan tersimpan."))
                return redirect("registration_documents", code=registration.code)
    return render(request, "registrations/vendor/company.html", {
        "registration": registration, "form": form, "editable": editable,
        "regencies": KALIMANTAN_BARAT,
    })


@vendor_required
def registration_documents(request, code):
    """B.4–B.7: the Lampiran 1 documents that apply, each with its upload."""
    registration = registration_for_vendor(request.user, code)
    checklist = registration_checklist(registration)
    flagged = {d.document_type_id: d for d in
               revision.revision_deficiencies(registration, checklist) if d.document_type_id}
    draft = registration.status == RegistrationStatus.DRAFT
    for item in checklist:
        # In a revision only the documents the verifier flagged unlock (C.3), each with why.
        item.deficiency = flagged.get(item.document_type.pk)
        item.replaceable = draft or item.deficiency is not None
    return render(request, "registrations/vendor/documents.html", {
        "registration": registration,
        "checklist": checklist,
        "editable": services.registration_is_editable(registration),
        # C.3: after the re-uploads, straight on to sending them back.
        "revising": bool(flagged),
        "upload": uploads.upload_form_context(),
    })


@vendor_required
def registration_submit(request, code):
    """B.8: privacy consent, then submit; or the exact list of what is missing."""
    registration = registration_for_vendor(request.user, code)
    if registration.status == RegistrationStatus.REVISION_REQUESTED:
        return _resubmit(request, registration)
    if request.method == "POST":
        if request.POST.get("consent") == "1":
            services.registration_consent(registration=registration, actor=request.user,
                                          request=request)
        problems = workflow.attempt(services.registration_submit, registration=registration,
                                    actor=request.user, request=request)
        if problems:
            return render(request, "registrations/vendor/submit.html", {
                "registration": registration, "problems": problems,
                "notice_version": services.PRIVACY_NOTICE_VERSION,
                "retention_days": retention_days("documents", registration.office),
                "recording_retention_days": settings.RECORDING_RETENTION_DAYS,
            }, status=400)
        messages.success(request, _("Pendaftaran berhasil diajukan. Tanda terima telah "
                                    "dikirim ke email Anda."))
        return redirect("home")
    return render(request, "registrations/vendor/submit.html", {
        "registration": registration,
        "problems": services.submit_problems(registration),
        "notice_version": services.PRIVACY_NOTICE_VERSION,
        "retention_days": retention_days("documents", registration.office),
        "recording_retention_days": settings.RECORDING_RETENTION_DAYS,
    })


@vendor_required
@require_POST
def registration_withdraw(request, code):
    registration = registration_for_vendor(request.user, code)
    try:
        services.registration_withdraw(registration=registration, actor=request.user,
                                       request=request, reason=request.POST.get("reason", ""))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect("home")
    messages.info(request, _("Pendaftaran dibatalkan."))
    return redirect("home")


def _resubmit(request, registration):
    """C.3: after fixing what was flagged, the vendor sends it back to the verifier."""
    context = {"registration": registration, "on_resubmit": True,
               "deficiencies": revision.revision_deficiencies(registration),
               "warnings": revision.resubmit_warnings(registration)}
    if request.method == "POST":
        problems = workflow.attempt(revision.registration_resubmit, registration=registration,
                                    actor=request.user, request=request)
        if problems:
            return render(request, "registrations/vendor/resubmit.html",
                          {**context, "problems": problems}, status=400)
        messages.success(request, _("Perbaikan berhasil diajukan kembali ke verifikator."))
        return redirect("home")
    return render(request, "registrations/vendor/resubmit.html",
                  {**context, "problems": revision.resubmit_problems(registration)})
