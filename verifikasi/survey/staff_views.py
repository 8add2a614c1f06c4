"""Staff pages: editing the service standard (office admin) and the SKM report."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from verifikasi.accounts.decorators import office_staff_required
from verifikasi.core.audit import audit_log
from verifikasi.core.http import private_file
from verifikasi.registrations import workflow

from .elements import ELEMENTS
from .export import survey_xlsx
from .forms import ServiceStandardForm
from .selectors import Period, survey_result, survey_rows, survey_summaries
from .standard import service_standard_for, service_standard_save

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@office_staff_required
@require_http_methods(["GET", "POST"])
def standard_edit(request):
    office = request.user.office
    workflow.require_office("edit_service_standard", office, request.user)
    form = ServiceStandardForm(request.POST if request.method == "POST" else None,
                               instance=service_standard_for(office))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                service_standard_save(office=office, actor=request.user,
                                      values=form.cleaned_data, request=request)
            except ValidationError as e:
                form.add_error(None, e)
            else:
                messages.success(request, _("Standar pelayanan tersimpan dan sudah tampil "
                                            "di halaman publik."))
                return redirect("survey_standard_edit")
        status = 400
    return render(request, "survey/standard_edit.html", {"form": form, "office": office},
                  status=status)


def _report_period(request, office):
    summaries = survey_summaries(office)
    period = Period.parse(request.GET.get("periode"))
    if period is None:
        period = summaries[0].period if summaries else None
    return summaries, period


@office_staff_required
@require_GET
def survey_report(request):
    """Per semester: respondents, NRR per element, NRR tertimbang, IKM and its category."""
    office = request.user.office
    workflow.require_office("view_survey_report", office, request.user)
    summaries, period = _report_period(request, office)
    rows = survey_rows(office, period) if period else []
    result = survey_result(rows)
    elements = [{"element": e, "nrr": result.nrr[e.code], "weighted": result.weighted[e.code]}
                for e in ELEMENTS] if result else []
    audit_log(action="survey.report_viewed", actor=request.user, office=office,
              request=request, details={"period": period.key if period else ""})
    return private_file(render(request, "survey/report.html", {
        "summaries": summaries, "period": period, "result": result, "elements": elements,
        "suggestions": [r["suggestion"] for r in rows if r["suggestion"]],
    }))


@office_staff_required
@require_GET
def survey_report_xlsx(request):
    office = request.user.office
    workflow.require_office("view_survey_report", office, request.user)
    _summaries, period = _report_period(request, office)
    if period is None:
        messages.error(request, _("Belum ada jawaban survei untuk diunduh."))
        return redirect("survey_report")
    rows = survey_rows(office, period)
    content = survey_xlsx(office=office, period=period, rows=rows, result=survey_result(rows))
    audit_log(action="survey.report_exported", actor=request.user, office=office,
              request=request, details={"period": period.key, "rows": len(rows)})
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="skm-{office.code}-{period.key}.xlsx"')
    return private_file(response)
