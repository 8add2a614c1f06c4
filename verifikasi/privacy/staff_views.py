"""The office's "Permintaan data" queue: the 3×24-hour clock, decisions and letters."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from verifikasi.accounts.decorators import office_staff_required
from verifikasi.core.audit import audit_log
from verifikasi.core.http import private_file
from verifikasi.registrations import workflow

from . import requests
from .corrections import field_label
from .erasure import erasure_plan
from .forms import DecisionForm
from .holdings import holdings_for
from .models import RequestKind
from .selectors import data_request_for_staff, data_request_queue, requested_field_value


@office_staff_required
def staff_requests(request):
    office = request.user.office
    workflow.require_office("answer_data_request", office, request.user)
    answered = request.GET.get("tampil") == "dijawab"
    return private_file(render(request, "privacy/staff_queue.html", {
        "rows": data_request_queue(office, answered=answered), "answered": answered,
    }))


@office_staff_required
def staff_request_detail(request, code):
    data_request = data_request_for_staff(request.user, code)
    form = DecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                requests.data_request_decide(
                    data_request=data_request, actor=request.user,
                    decision=form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"], request=request)
            except ValidationError as e:
                form.add_error(None, e)
            else:
                messages.success(request, _("Keputusan tersimpan dan surat jawaban dikirim "
                                            "kepada pemohon."))
                return redirect("privacy_staff_request", code=data_request.code)
        status = 400
    plan = []
    if data_request.kind != RequestKind.CORRECTION and data_request.is_open:
        plan = erasure_plan(holdings_for(data_request.requester), data_request.office)
    audit_log(action="privacy.request_viewed", actor=request.user, office=data_request.office,
              obj=data_request, request=request)
    return private_file(render(request, "privacy/staff_request.html", {
        "data_request": data_request, "form": form, "plan": plan,
        "field_label": field_label(data_request.field),
        "current_value": requested_field_value(data_request),
    }, status=status))
