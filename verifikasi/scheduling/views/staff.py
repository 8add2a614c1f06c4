"""Staff pages: the team's decision on a registration's time (B.8.a–c), reschedule and
no-show (C.8.b), the week calendar, and the office's availability (coordinator)."""

from datetime import date, timedelta

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from verifikasi.accounts.decorators import office_staff_required, team_required
from verifikasi.accounts.models import Role
from verifikasi.core.event_text import history_lines
from verifikasi.core.models import AuditEvent
from verifikasi.registrations import workflow
from verifikasi.registrations.models import Registration
from verifikasi.registrations.models import RegistrationStatus as S
from verifikasi.registrations.selectors import registration_for_office_staff

from .. import availability as availability_services
from .. import closing, selectors, services
from ..forms import (
    AvailabilityForm,
    ClosureForm,
    NoShowForm,
    OptionChoiceForm,
    RescheduleForm,
    SlotPickForm,
)
from ..models import AppointmentState, Closure, OptionKind
from ..seats import SlotUnavailable
from ..slots import countdown_text, format_slot

SCHEDULE_ACTIONS = ["registration.offer_other_date", "registration.confirm_schedule",
                    "registration.accept_offer",
                    "registration.reschedule", "registration.record_no_show"]


def _registration(request, code) -> Registration:
    return registration_for_office_staff(request.user, code)


def _history(registration):
    return history_lines(
        AuditEvent.objects
        .filter(object_type="registrations.registration", object_id=str(registration.code))
        .filter(Q(action__in=SCHEDULE_ACTIONS) | Q(action__startswith="appointment."))
        .order_by("-seq")[:30])


def _manage(request, registration, *, status=200, errors=(), **forms):
    """The registration's scheduling panel, with whatever forms came back with errors."""
    office = registration.office
    tz = office.tzinfo
    now = timezone.now()
    user = request.user
    appointment = selectors.appointment_for(registration)
    state = appointment.state if appointment else None
    proposals = selectors.appointment_options(appointment, OptionKind.PROPOSED)
    deciding = workflow.can(registration, "offer_other_date", user)
    scheduled = registration.status == S.SCHEDULED and state == AppointmentState.CONFIRMED
    free = selectors.free_slots(office) if deciding or scheduled else []
    bound = forms.get("offer_form") or forms.get("reschedule_form")
    context = {
        "registration": registration,
        "office": office,
        "appointment": appointment,
        "proposals": [
            {"option": o, "value": o.start.astimezone(tz).isoformat(timespec="minutes"),
             "problem": selectors.slot_problem(office, o.start, now=now,
                                               exclude_appointment=appointment)}
            for o in proposals
        ],
        "offers": selectors.appointment_options(appointment, OptionKind.OFFERED),
        "deciding": deciding,
        "can_confirm": deciding and state == AppointmentState.PROPOSED,
        "scheduled": scheduled,
        "can_reschedule": scheduled and workflow.can(registration, "reschedule", user),
        "can_no_show": scheduled and workflow.can(registration, "record_no_show", user)
        and now >= appointment.start,
        "countdown": countdown_text(appointment.start, appointment.end, now)
        if scheduled else "",
        "days": selectors.slots_by_day(free, bound.selected if bound else set()),
        "offer_form": forms.get("offer_form") or SlotPickForm(slots=free, tz=tz),
        "reschedule_form": forms.get("reschedule_form") or RescheduleForm(slots=free, tz=tz),
        "no_show_form": forms.get("no_show_form") or NoShowForm(),
        "errors": [str(e) for e in errors],
        "history": _history(registration),
    }
    return render(request, "scheduling/staff/manage.html", context, status=status)


def _form_errors(form) -> list[str]:
    return [str(m) for errors in form.errors.values() for m in errors]


@team_required
def manage(request, code):
    """One registration's time: confirm a proposal, offer substitutes, reschedule, no-show."""
    return _manage(request, _registration(request, code))


@team_required
@require_POST
def confirm(request, code):
    """B.8.a, B.8.c: confirm one of the vendor's proposed times."""
    registration = _registration(request, code)
    workflow.require("confirm_schedule", registration, request.user)
    appointment = selectors.appointment_for(registration)
    form = OptionChoiceForm(
        request.POST, tz=registration.office.tzinfo,
        options=selectors.appointment_options(appointment, OptionKind.PROPOSED))
    if not form.is_valid():
        return _manage(request, registration, status=400, errors=_form_errors(form))
    try:
        services.appointment_confirm(registration=registration, actor=request.user,
                                     start=form.cleaned_data["start"], request=request)
    except SlotUnavailable as e:
        return _manage(request, registration, status=409, errors=[e.message])
    except workflow.WorkflowError as e:
        if not e.problems:
            raise
        return _manage(request, registration, status=400, errors=e.problems)
    messages.success(request, _("Jadwal dikonfirmasi: %(when)s. Undangan dikirim ke Pelaku "
                                "Usaha.") % {"when": _when(registration)})
    return redirect("schedule_manage", code=registration.code)


@team_required
@require_POST
def offer(request, code):
    """B.8.b: offer one to three substitute times."""
    registration = _registration(request, code)
    workflow.require("offer_other_date", registration, request.user)
    tz = registration.office.tzinfo
    form = SlotPickForm(request.POST, slots=selectors.free_slots(registration.office), tz=tz)
    if not form.is_valid():
        return _manage(request, registration, status=400, offer_form=form)
    problems = workflow.attempt(services.appointment_offer, registration=registration,
                                actor=request.user, starts=form.cleaned_data["slots"],
                                request=request)
    if problems:
        return _manage(request, registration, status=400, errors=problems, offer_form=form)
    messages.success(request, _("Jadwal pengganti dikirim ke Pelaku Usaha."))
    return redirect("schedule_manage", code=registration.code)


@team_required
@require_POST
def reschedule(request, code):
    """C.8.b: move a confirmed call (reason required), optionally offering new times."""
    registration = _registration(request, code)
    workflow.require("reschedule", registration, request.user)
    tz = registration.office.tzinfo
    form = RescheduleForm(request.POST, slots=selectors.free_slots(registration.office), tz=tz)
    if not form.is_valid():
        return _manage(request, registration, status=400, reschedule_form=form)
    problems = workflow.attempt(services.appointment_reschedule, registration=registration,
                                actor=request.user, reason=form.cleaned_data["reason"],
                                starts=form.cleaned_data["slots"], request=request)
    if problems:
        return _manage(request, registration, status=400, errors=problems,
                       reschedule_form=form)
    messages.success(request, _("Jadwal dibatalkan dan Pelaku Usaha diberi tahu."))
    return redirect("schedule_manage", code=registration.code)


@team_required
@require_POST
def no_show(request, code):
    """The vendor did not join: recorded; the registration goes back to scheduling."""
    registration = _registration(request, code)
    workflow.require("record_no_show", registration, request.user)
    form = NoShowForm(request.POST)
    if not form.is_valid():
        return _manage(request, registration, status=400, no_show_form=form)
    problems = workflow.attempt(closing.appointment_record_no_show, registration=registration,
                                actor=request.user, note=form.cleaned_data["note"],
                                request=request)
    if problems:
        return _manage(request, registration, status=400, errors=problems)
    messages.info(request, _("Ketidakhadiran dicatat. Pelaku Usaha diminta mengusulkan jadwal "
                             "baru."))
    return redirect("schedule_manage", code=registration.code)


def _when(registration) -> str:
    appointment = selectors.appointment_for(registration)
    office = registration.office
    return format_slot(appointment.start, appointment.end, office.tzinfo, office.timezone_label)


# ---------- The team calendar ----------

@office_staff_required
def calendar(request):
    """A week of the office's confirmed calls, Monday to Sunday, in the office's zone."""
    office = request.user.office
    today = timezone.now().astimezone(office.tzinfo).date()
    try:
        chosen = date.fromisoformat(request.GET.get("minggu", ""))
    except ValueError:
        chosen = today
    monday = selectors.week_start(chosen)
    days = selectors.week_calendar(office, monday)
    return render(request, "scheduling/staff/calendar.html", {
        "office": office,
        "days": days,
        "monday": monday,
        "sunday": monday + timedelta(days=6),
        "previous": monday - timedelta(days=7),
        "following": monday + timedelta(days=7),
        "this_week": selectors.week_start(today),
        "call_count": sum(len(d.calls) for d in days),
        "awaiting": selectors.appointments_awaiting_team(office)[:50],
        "can_decide": request.user.role in (Role.VERIFIER, Role.COORDINATOR),
    })


# ---------- The office's availability (coordinator) ----------

def _availability_page(request, *, form=None, closure_form=None, status=200):
    office = request.user.office
    today = timezone.now().astimezone(office.tzinfo).date()
    availability = selectors.availability_for(office)
    return render(request, "scheduling/staff/availability.html", {
        "office": office,
        "availability": availability,
        "can_edit": workflow.can_office("set_availability", office, request.user),
        "form": form or AvailabilityForm(instance=availability),
        "closure_form": closure_form or ClosureForm(),
        "closures": Closure.objects.filter(office=office, end_date__gte=today)
        .order_by("start_date"),
        "holidays": selectors.holidays_ahead(office),
    }, status=status)


def _editor_only(request) -> None:
    workflow.require_office("set_availability", request.user.office, request.user)


@office_staff_required
def availability(request):
    """B.8.c: working hours, slot length, calls at once, notice, horizon, vendor limits."""
    if request.method != "POST":
        return _availability_page(request)
    _editor_only(request)
    office = request.user.office
    form = AvailabilityForm(request.POST, instance=selectors.availability_for(office))
    if not form.is_valid():
        return _availability_page(request, form=form, status=400)
    availability_services.availability_update(office=office, actor=request.user,
                                 data=form.availability_data(), request=request)
    messages.success(request, _("Ketersediaan jadwal tersimpan."))
    return redirect("schedule_availability")


@office_staff_required
@require_POST
def closure_add(request):
    _editor_only(request)
    form = ClosureForm(request.POST)
    if not form.is_valid():
        return _availability_page(request, closure_form=form, status=400)
    data = form.cleaned_data
    closure, affected = availability_services.closure_add(
        office=request.user.office, actor=request.user, start_date=data["start_date"],
        end_date=data["end_date"], note=data["note"], request=request)
    messages.success(request, _("Tanggal tutup ditambahkan: %(note)s.") % {"note": closure.note})
    if affected:
        names = ", ".join(a.registration.company_name or str(a.registration.code)
                          for a in affected)
        messages.warning(request, _("Sudah ada jadwal terkonfirmasi pada tanggal tersebut; "
                                    "jadwalkan ulang: %(names)s.") % {"names": names})
    return redirect("schedule_availability")


@office_staff_required
@require_POST
def closure_delete(request, closure_code):
    _editor_only(request)
    closure = get_object_or_404(Closure, code=closure_code, office=request.user.office)
    availability_services.closure_remove(closure=closure, actor=request.user, request=request)
    messages.info(request, _("Tanggal tutup dihapus."))
    return redirect("schedule_availability")
