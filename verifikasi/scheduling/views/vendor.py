"""Vendor (Pelaku Usaha) pages: propose times (B.8), answer an offer (B.8.b),
ask to reschedule (C.8.b), download the invite."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from verifikasi.accounts.decorators import vendor_required
from verifikasi.core.http import private_file
from verifikasi.registrations import workflow
from verifikasi.registrations.models import RegistrationStatus as S
from verifikasi.registrations.selectors import registration_for_user, registration_for_vendor

from .. import ics, selectors, services
from ..forms import OptionChoiceForm, RescheduleForm, SlotPickForm
from ..invites import appointment_join_url
from ..models import AppointmentState, OptionKind
from ..seats import SlotUnavailable
from . import next_url


def _posted(request):
    # Not ``request.POST or None``: a POST with nothing ticked must still be a bound form.
    return request.POST if request.method == "POST" else None


@vendor_required
@require_GET
def appointment(request, code):
    """The vendor's call on its own page (the same panel the vendor home includes)."""
    registration = registration_for_vendor(request.user, code)
    return render(request, "scheduling/vendor/appointment.html", {
        "registration": registration, "office": registration.office,
        "closed": registration.status not in (*selectors.PROPOSAL_STATUSES, S.SCHEDULED),
    })


@vendor_required
def propose(request, code):
    """B.8: pick one to three free times, grouped by day (works without JavaScript)."""
    registration = registration_for_vendor(request.user, code)
    office = registration.office
    appointment = selectors.appointment_for(registration)
    proposals = selectors.appointment_options(appointment, OptionKind.PROPOSED)
    editable = registration.status in selectors.PROPOSAL_STATUSES
    if request.method == "POST" and not editable:
        workflow.require("propose_dates", registration, request.user)
    slots = selectors.free_slots(office) if editable else []
    form = SlotPickForm(_posted(request), slots=slots, tz=office.tzinfo, initial={
        "slots": [o.start.astimezone(office.tzinfo).isoformat(timespec="minutes")
                  for o in proposals]})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            problems = workflow.attempt(
                services.appointment_propose, registration=registration, actor=request.user,
                starts=form.cleaned_data["slots"], request=request)
            for problem in problems:
                form.add_error(None, problem)
            if not problems:
                messages.success(request, _("Usulan jadwal verifikasi tersimpan."))
                return redirect(next_url(request, reverse("home")))
        status = 400
    return render(request, "scheduling/vendor/propose.html", {
        "registration": registration, "office": office, "form": form,
        "days": selectors.slots_by_day(slots, form.selected), "proposals": proposals,
        "editable": editable,
        "offered": appointment is not None and appointment.state == AppointmentState.OFFERED
        and registration.status == S.DOCUMENTS_ACCEPTED,
        "next": next_url(request, ""),
    }, status=status)


@vendor_required
def offer(request, code):
    """B.8.b: the team offered substitute times; accept one (or propose again)."""
    registration = registration_for_vendor(request.user, code)
    office = registration.office
    if request.method == "POST":
        workflow.require("accept_offer", registration, request.user)
    view = selectors.vendor_appointment(registration)
    form = OptionChoiceForm(_posted(request), options=view.offers, tz=office.tzinfo)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.appointment_accept_offer(registration=registration,
                                                  actor=request.user,
                                                  start=form.cleaned_data["start"],
                                                  request=request)
            except SlotUnavailable as e:
                form.add_error(None, e.message)
                status = 409
            except workflow.WorkflowError as e:
                if not e.problems:
                    raise
                for problem in e.problems:
                    form.add_error(None, problem)
            else:
                messages.success(request, _("Jadwal verifikasi terkonfirmasi. Undangan kalender "
                                            "telah dikirim ke email Anda."))
                return redirect("home")
    return render(request, "scheduling/vendor/offer.html",
                  {"registration": registration, "office": office, "ap": view, "form": form},
                  status=status)


@vendor_required
def reschedule(request, code):
    """C.8.b: ask to move a confirmed call (before the cut-off, with a reason)."""
    registration = registration_for_vendor(request.user, code)
    office = registration.office
    if request.method == "POST":
        workflow.require("reschedule", registration, request.user)
    view = selectors.vendor_appointment(registration)
    slots = selectors.free_slots(office) if view.state == AppointmentState.CONFIRMED else []
    form = RescheduleForm(_posted(request), slots=slots, tz=office.tzinfo)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            problems = workflow.attempt(
                services.appointment_reschedule, registration=registration,
                actor=request.user, reason=form.cleaned_data["reason"],
                starts=form.cleaned_data["slots"], request=request)
            for problem in problems:
                form.add_error(None, problem)
            if not problems:
                messages.success(request, _("Permintaan ubah jadwal terkirim ke tim verifikator. "
                                            "Jadwal lama dibatalkan."))
                return redirect("home")
    return render(request, "scheduling/vendor/reschedule.html", {
        "registration": registration, "office": office, "ap": view, "form": form,
        "days": selectors.slots_by_day(slots, form.selected),
    }, status=status)


@login_required
@require_GET
def invite(request, code):
    """The confirmed call as an .ics file (the vendor, or staff of the office)."""
    registration = registration_for_user(request.user, code)
    appointment = selectors.appointment_for(registration)
    if registration.status != S.SCHEDULED or appointment is None \
            or appointment.state != AppointmentState.CONFIRMED:
        raise Http404
    content = ics.appointment_ics(appointment, method=ics.PUBLISH, start=appointment.start,
                                  end=appointment.end,
                                  join_url=appointment_join_url(appointment))
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="jadwal-verifikasi.ics"'
    return private_file(response)  # names the vendor and carries the call link
