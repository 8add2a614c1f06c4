"""Staff pages of the breach register (office head and admin; Pasal 46 UU PDP).

Every page describes people's data, so every response is private, no-store.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from verifikasi.accounts.decorators import role_required
from verifikasi.accounts.models import Role
from verifikasi.core.audit import audit_log
from verifikasi.core.http import private_file

from . import services
from .audience import AUDIENCES, audience_people
from .clock import incident_clock
from .export import register_csv
from .forms import AuthorityNoticeForm, AuthoritySentForm, IncidentForm, PeopleNoticeForm
from .notices import authority_notice_draft, authority_notice_pdf
from .selectors import incident_for, incidents_for

head_or_admin_required = role_required(
    Role.COORDINATOR, Role.ADMIN,
    message=gettext_lazy("Register insiden hanya untuk Ketua Tim Verifikator dan Admin LPSE."))


@head_or_admin_required
@require_GET
def incident_list(request):
    incidents = incidents_for(request.user).annotate(recipient_count=Count("recipients"))
    rows = [(incident, incident_clock(incident)) for incident in incidents[:500]]
    return private_file(render(request, "incidents/list.html", {"rows": rows}))


def _incident_form(request, office, incident=None):
    """Record or correct an incident; times are typed and shown in the office's time zone."""
    with timezone.override(office.tzinfo):
        form = IncidentForm(request.POST or None, instance=incident, office=office,
                            initial={"affected_data": incident.affected_data} if incident else {})
        if request.method == "POST" and form.is_valid():
            if incident is None:
                incident = services.incident_record(office=office, actor=request.user,
                                                    data=form.facts(), request=request)
                messages.success(request, _("Insiden dicatat. Periksa dan kirim kedua "
                                            "pemberitahuan sebelum tenggat 3×24 jam."))
            else:
                services.incident_update(incident=incident, actor=request.user,
                                         data=form.facts(), request=request)
                messages.success(request, _("Data insiden disimpan."))
            return redirect("incident_detail", code=incident.code)
        status = 400 if request.method == "POST" else 200
        return private_file(render(request, "incidents/form.html",
                                   {"form": form, "incident": incident}, status=status))


@head_or_admin_required
def incident_new(request):
    return _incident_form(request, request.user.office)


@head_or_admin_required
def incident_edit(request, code):
    incident = incident_for(request.user, code)
    return _incident_form(request, incident.office, incident)


@head_or_admin_required
@require_GET
def incident_detail(request, code):
    incident = incident_for(request.user, code)
    # The page lists the affected people who were notified: who looked is on record.
    audit_log(action="incident.viewed", actor=request.user, office=incident.office,
              obj=incident, request=request)
    return private_file(render(request, "incidents/detail.html", {
        "incident": incident, "clock": incident_clock(incident),
        "recipients": incident.recipients.select_related("outbound_email")[:1000],
        "recipient_count": incident.recipients.count(),
    }))


def _audience_choices(office):
    return [(a.key, f"{a.label} ({audience_people(a.key, office).count()})")
            for a in AUDIENCES.values()]


@head_or_admin_required
def notice_people(request, code):
    incident = incident_for(request.user, code)
    office = incident.office
    suggested = [a.key for a in AUDIENCES.values()
                 if set(a.suits) & set(incident.affected_data)]
    form = PeopleNoticeForm(request.POST or None, audience_choices=_audience_choices(office),
                            initial={"subject": incident.people_subject,
                                     "body": incident.people_body, "audiences": suggested})
    if request.method == "POST" and incident.people_sent_at is None and form.is_valid():
        data = form.cleaned_data
        if "send" not in request.POST:
            services.incident_draft_people(incident=incident, actor=request.user,
                                           subject=data["subject"], body=data["body"],
                                           request=request)
            messages.success(request, _("Draf pemberitahuan disimpan."))
            return redirect("incident_notice_people", code=incident.code)
        if form.require_sending():
            try:
                count = services.incident_notify_people(
                    incident=incident, actor=request.user, subject=data["subject"],
                    body=data["body"], audiences=data["audiences"], extra=data["extra"],
                    request=request)
            except ValidationError as e:
                form.add_error(None, e)
            else:
                messages.success(request, _("Pemberitahuan dimasukkan ke kotak keluar untuk "
                                            "%(n)d orang.") % {"n": count})
                return redirect("incident_detail", code=incident.code)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and incident.people_sent_at is not None:
        status = 409
    return private_file(render(request, "incidents/notice_people.html", {
        "incident": incident, "form": form, "clock": incident_clock(incident)}, status=status))


def _authority_page(request, incident, *, form=None, sent_form=None, status=200):
    form = form or AuthorityNoticeForm(initial={"authority_name": incident.authority_name,
                                                "body": incident.authority_body})
    sent_form = sent_form or AuthoritySentForm(incident=incident, initial={
        "sent_on": incident.authority_sent_on or timezone.localdate(),
        "reference": incident.authority_reference})
    return private_file(render(request, "incidents/notice_authority.html", {
        "incident": incident, "form": form, "sent_form": sent_form,
        "clock": incident_clock(incident)}, status=status))


@head_or_admin_required
def notice_authority(request, code):
    incident = incident_for(request.user, code)
    if request.method != "POST":
        return _authority_page(request, incident)
    form = AuthorityNoticeForm(request.POST)
    if form.is_valid():
        body = form.cleaned_data["body"]
        if "redraft" in request.POST:  # e.g. after the people's notice went out
            body = authority_notice_draft(incident,
                                          authority_name=form.cleaned_data["authority_name"])
        services.incident_authority_save(incident=incident, actor=request.user,
                                         authority_name=form.cleaned_data["authority_name"],
                                         body=body, request=request)
        messages.success(request, _("Surat pemberitahuan kepada lembaga disimpan."))
        return redirect("incident_notice_authority", code=incident.code)
    return _authority_page(request, incident, form=form, status=400)


@head_or_admin_required
@require_POST
def notice_authority_sent(request, code):
    incident = incident_for(request.user, code)
    sent_form = AuthoritySentForm(request.POST, incident=incident)
    if not sent_form.is_valid():
        return _authority_page(request, incident, sent_form=sent_form, status=400)
    services.incident_authority_sent(incident=incident, actor=request.user,
                                     sent_on=sent_form.cleaned_data["sent_on"],
                                     reference=sent_form.cleaned_data["reference"],
                                     request=request)
    messages.success(request, _("Tanggal pengiriman kepada lembaga dicatat."))
    return redirect("incident_detail", code=incident.code)


@head_or_admin_required
@require_GET
def notice_authority_download(request, code, fmt):
    if fmt not in ("pdf", "txt"):
        raise Http404
    incident = incident_for(request.user, code)
    audit_log(action="incident.authority_notice_downloaded", actor=request.user,
              office=incident.office, obj=incident, request=request, details={"format": fmt})
    name = f"pemberitahuan-insiden-{timezone.localdate(incident.discovered_at):%Y%m%d}"
    if fmt == "pdf":
        response = HttpResponse(authority_notice_pdf(incident), content_type="application/pdf")
    else:
        response = HttpResponse(incident.authority_body, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return private_file(response)


@head_or_admin_required
@require_GET
def incident_export(request):
    incidents = incidents_for(request.user).annotate(recipient_count=Count("recipients"))
    audit_log(action="incident.register_exported", actor=request.user,
              office=request.user.office, object_type="incidents.incident",
              request=request, details={"incidents": incidents.count()})
    response = HttpResponse(register_csv(incidents), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="register-insiden-{timezone.localdate():%Y%m%d}.csv"')
    return private_file(response)
