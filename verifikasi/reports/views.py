"""The office head's reports page and its exports (issue 19).

Who may see which table is the lifecycle map's office actions (``view_reports``,
``view_verifier_report``); every page view and export is audited, and every response
is private, no-store (the tables name verifiers and companies).
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from verifikasi.core.audit import audit_log
from verifikasi.core.http import private_file
from verifikasi.registrations import workflow

from .exports import CONTENT_TYPES, table_csv, table_xlsx
from .periods import PeriodForm, default_period
from .report import KEYS, report_charts, report_tables


def _office(request):
    office = request.user.office
    if office is None:
        raise PermissionDenied(workflow.ERR_NOT_REPORT_READER)
    workflow.require_office("view_reports", office, request.user)
    return office


def _period(request, office):
    if not request.GET:
        period = default_period(office.tzinfo)
        return PeriodForm(tz=office.tzinfo, initial={
            "group": period.group, "start": period.start, "end": period.end}), period
    form = PeriodForm(request.GET, tz=office.tzinfo)
    return form, (form.cleaned_data["period"] if form.is_valid() else None)


@login_required
@require_GET
def report_page(request):
    office = _office(request)
    form, period = _period(request, office)
    if period is None:
        return private_file(render(request, "reports/page.html", {
            "form": form, "office": office, "tables": {}, "charts": {}}, status=400))
    tables = report_tables(office, period, request.user)
    audit_log(action="report.viewed", actor=request.user, office=office, request=request,
              details={"start": period.start, "end": period.end, "group": period.group,
                       "tables": list(tables)})
    return private_file(render(request, "reports/page.html", {
        "form": form, "office": office, "period": period, "tables": tables,
        "charts": report_charts(tables), "now": timezone.now()}))


@login_required
@require_GET
def report_export(request, key: str, fmt: str):
    office = _office(request)
    if key not in KEYS or fmt not in CONTENT_TYPES:
        raise Http404
    form, period = _period(request, office)
    if period is None:
        return private_file(HttpResponse(" ".join(form.non_field_errors() or [
            _("Periode laporan tidak valid.")]), status=400,
            content_type="text/plain; charset=utf-8"))
    tables = report_tables(office, period, request.user, only=key)
    if key not in tables:
        raise PermissionDenied(workflow.ERR_NOT_HEAD_REPORT)
    table = tables[key]
    heading = [f"{office.name} — {table.title}",
               _("Periode: %(start)s s.d. %(end)s") % {"start": period.start.isoformat(),
                                                       "end": period.end.isoformat()}]
    if table.note:
        heading.append(table.note)
    body = (table_csv if fmt == "csv" else table_xlsx)(table, heading)
    audit_log(action="report.exported", actor=request.user, office=office, request=request,
              details={"table": key, "format": fmt, "start": period.start,
                       "end": period.end, "group": period.group})
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    name = f"laporan-{key.replace('_', '-')}-{period.start.isoformat()}-{period.end.isoformat()}"
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return private_file(response)
