"""Reads for scheduling: free slots, a registration's appointment, the team calendar."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from verifikasi.accounts.selectors import team_emails
from verifikasi.core.prepared import Prepared
from verifikasi.registrations import workflow
from verifikasi.registrations.models import Registration
from verifikasi.registrations.models import RegistrationStatus as S

from .models import (
    Appointment,
    AppointmentOption,
    AppointmentState,
    Availability,
    Closure,
    OptionKind,
    SlotBooking,
)
from .slots import (
    ClosedDay,
    Slot,
    booking_window,
    candidate_slots,
    closed_reason,
    countdown_text,
    format_day,
    holidays_between,
    slot_on_grid,
)

# The vendor may choose or change their proposal until a time is confirmed
# (B.8: "tanggal yang disampaikan oleh Pelaku Usaha").
PROPOSAL_STATUSES = frozenset(workflow.PROPOSAL_STATES)
MAX_OPTIONS = 3

ERR_NO_PROPOSAL = gettext_lazy("Belum memilih usulan jadwal verifikasi.")


def availability_for(office) -> Availability:
    """The office's saved availability, or the defaults (unsaved) when never edited."""
    return Availability.objects.filter(office=office).first() or Availability(office=office)


def closures_for(office, first: date, last: date) -> list[ClosedDay]:
    rows = Closure.objects.filter(office=office, end_date__gte=first, start_date__lte=last)
    return [ClosedDay(c.start_date, c.end_date, c.note) for c in rows]


def _closures_ahead(office, now: datetime, availability: Availability) -> list[ClosedDay]:
    today = now.astimezone(office.tzinfo).date()
    # booking_window may look past the horizon to count the notice's working days.
    reach = max(availability.horizon_days, 3 * availability.min_notice_working_days + 30)
    return closures_for(office, today, today + timedelta(days=reach))


def _seats_taken(office, slots: list[Slot], *, exclude_appointment=None) -> list[int]:
    """For each slot, how many booked calls overlap it."""
    if not slots:
        return []
    bookings = SlotBooking.objects.filter(office=office, start__lt=slots[-1].end,
                                          end__gt=slots[0].start)
    if exclude_appointment is not None:
        bookings = bookings.exclude(appointment=exclude_appointment)
    by_day: dict[date, list[tuple[datetime, datetime]]] = defaultdict(list)
    tz = office.tzinfo
    for start, end in bookings.values_list("start", "end"):
        by_day[start.astimezone(tz).date()].append((start, end))
    return [
        sum(1 for start, end in by_day.get(slot.start.date(), []) if start < slot.end
            and end > slot.start)
        for slot in slots
    ]


def free_slots(office, *, now: datetime | None = None,
               availability: Availability | None = None) -> list[Slot]:
    """Slots a vendor may propose or the team may offer: open, in the window, a seat free."""
    now = now or timezone.now()
    availability = availability or availability_for(office)
    slots = candidate_slots(availability, now, office.tzinfo,
                            _closures_ahead(office, now, availability))
    taken = _seats_taken(office, slots)
    return [
        Slot(slot.start, slot.end, availability.capacity - n)
        for slot, n in zip(slots, taken, strict=True)
        if n < availability.capacity
    ]


def slot_problem(office, start: datetime, *, now: datetime | None = None,
                 availability: Availability | None = None, exclude_appointment=None) -> str:
    """Why a call cannot be booked at ``start`` now ("" when it can).

    For confirming a time chosen earlier: it must still be ahead, on an open
    day on the grid, with a seat free. Notice and horizon applied when it was
    chosen and are not applied again.
    """
    now = now or timezone.now()
    availability = availability or availability_for(office)
    tz = office.tzinfo
    if start <= now:
        return _("Waktu tersebut sudah lewat.")
    day = start.astimezone(tz).date()
    slot = slot_on_grid(availability, start, tz, closures_for(office, day, day))
    if slot is None:
        return _("Kantor tidak menerima video call pada waktu tersebut (libur, tutup, atau di "
                 "luar jam kerja).")
    [taken] = _seats_taken(office, [slot], exclude_appointment=exclude_appointment)
    if taken >= availability.capacity:
        return _("Slot tersebut sudah penuh.")
    return ""


@dataclass
class DayGroup:
    day: date
    label: str
    slots: list[Slot]
    open: bool = False  # shown unfolded (it holds a selected slot, or it is the first day)


def slots_by_day(slots: list[Slot], selected: set[str] = frozenset()) -> list[DayGroup]:
    groups: dict[date, list[Slot]] = {}
    for slot in slots:
        groups.setdefault(slot.start.date(), []).append(slot)
    days = [DayGroup(day, format_day(day), day_slots,
                     open=any(s.key in selected for s in day_slots))
            for day, day_slots in groups.items()]
    if days and not any(d.open for d in days):
        days[0].open = True
    return days


_appointment_of = Prepared(  # compiled once per connection (core.prepared)
    lambda registration_id: Appointment.objects.filter(registration_id=registration_id),
    first=True, registration_id=int)


def appointment_for(registration: Registration) -> Appointment | None:
    if registration.pk is None:  # unsaved: Django's own refusal
        return Appointment.objects.filter(registration=registration).first()
    return _appointment_of(registration_id=registration.pk)


def appointment_options(appointment: Appointment | None, kind: str) -> list[AppointmentOption]:
    if appointment is None or appointment.pk is None:
        return []
    return list(appointment.options.filter(kind=kind).order_by("start"))


def proposal_problems(registration: Registration, *, now: datetime | None = None) -> list[str]:
    """What is missing in the vendor's proposed times, for the submit guard (B.8)."""
    now = now or timezone.now()
    appointment = appointment_for(registration)
    proposals = appointment_options(appointment, OptionKind.PROPOSED)
    if not proposals:
        return [str(ERR_NO_PROPOSAL)]
    if all(p.start <= now for p in proposals):
        return [_("Usulan jadwal verifikasi sudah lewat. Pilih jadwal baru.")]
    return []


def vendor_reschedule_blockers(appointment: Appointment, availability: Availability, *,
                               now: datetime | None = None) -> list[str]:
    """C.8.b for the vendor: before the cut-off, and not more often than the office allows."""
    now = now or timezone.now()
    problems = []
    cutoff = availability.vendor_reschedule_cutoff_hours
    if appointment.start is not None and now > appointment.start - timedelta(hours=cutoff):
        problems.append(_("Jadwal hanya dapat diubah paling lambat %(hours)d jam sebelum video "
                          "call. Hubungi tim verifikator bila berhalangan.") % {"hours": cutoff})
    if appointment.vendor_reschedules >= availability.vendor_reschedule_limit:
        problems.append(_("Anda sudah mengubah jadwal %(n)d kali, batas yang ditetapkan kantor. "
                          "Hubungi tim verifikator bila berhalangan.")
                        % {"n": appointment.vendor_reschedules})
    return problems


@dataclass
class VendorAppointment:
    """What the vendor's home page shows about their call (the partial's view model)."""

    registration: Registration
    appointment: Appointment | None
    state: str  # "none", "closed", or an AppointmentState value
    proposals: list[AppointmentOption] = field(default_factory=list)
    offers: list[AppointmentOption] = field(default_factory=list)
    countdown: str = ""
    can_propose: bool = False
    reschedule_blockers: list[str] = field(default_factory=list)

    @property
    def office(self):
        return self.registration.office

    @property
    def start(self):
        return self.appointment.start if self.appointment else None

    @property
    def end(self):
        return self.appointment.end if self.appointment else None


def vendor_appointment(registration: Registration, *,
                       now: datetime | None = None) -> VendorAppointment:
    now = now or timezone.now()
    appointment = appointment_for(registration)
    view = VendorAppointment(registration, appointment, "none")
    if registration.status == S.SCHEDULED and appointment is not None \
            and appointment.state == AppointmentState.CONFIRMED:
        view.state = AppointmentState.CONFIRMED
        view.countdown = countdown_text(appointment.start, appointment.end, now)
        view.reschedule_blockers = vendor_reschedule_blockers(
            appointment, availability_for(registration.office), now=now)
        return view
    if registration.status not in PROPOSAL_STATUSES:
        view.state = "closed"
        return view
    view.can_propose = True
    if appointment is None:
        return view
    view.proposals = appointment_options(appointment, OptionKind.PROPOSED)
    if appointment.state == AppointmentState.OFFERED \
            and registration.status == S.DOCUMENTS_ACCEPTED:
        view.state = AppointmentState.OFFERED
        view.offers = appointment_options(appointment, OptionKind.OFFERED)
    elif view.proposals and appointment.state == AppointmentState.PROPOSED:
        # Proposals all gone by while waiting (e.g. a long review): ask for new ones.
        ahead = any(p.start > now for p in view.proposals)
        view.state = AppointmentState.PROPOSED if ahead else AppointmentState.NEEDS_PROPOSAL
    elif appointment.state == AppointmentState.NEEDS_PROPOSAL:
        view.state = AppointmentState.NEEDS_PROPOSAL
    return view


def staff_recipients(registration: Registration) -> list[str]:
    """The verifier assigned to the case, or else every verifier and coordinator of the office."""
    if registration.assigned_to_id and registration.assigned_to.is_active:
        return [registration.assigned_to.email]
    return team_emails(registration.office)


def appointments_awaiting_team(office):
    """Registrations whose documents are accepted and whose vendor has proposed times."""
    return (Appointment.objects
            .filter(office=office, state=AppointmentState.PROPOSED,
                    registration__status=S.DOCUMENTS_ACCEPTED)
            .select_related("registration").prefetch_related("options")
            .order_by("registration__status_changed_at"))


@dataclass
class CalendarDay:
    day: date
    label: str
    closed: str
    calls: list[Appointment]
    is_today: bool


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_calendar(office, monday: date, *, now: datetime | None = None) -> list[CalendarDay]:
    """The office's confirmed calls in one week (Monday–Sunday), day by day."""
    now = now or timezone.now()
    tz = office.tzinfo
    first = datetime.combine(monday, time(0), tz)
    sunday = monday + timedelta(days=6)
    calls = (Appointment.objects
             .filter(office=office,
                     state__in=[AppointmentState.CONFIRMED, AppointmentState.HELD],
                     start__gte=first, start__lt=first + timedelta(days=7))
             .select_related("registration", "registration__assigned_to", "confirmed_by")
             .order_by("start"))
    by_day: dict[date, list[Appointment]] = defaultdict(list)
    for call in calls:
        by_day[call.start.astimezone(tz).date()].append(call)
    availability = availability_for(office)
    closures = closures_for(office, monday, sunday)
    names = holidays_between(monday, sunday, cuti_bersama=availability.observe_cuti_bersama)
    today = now.astimezone(tz).date()
    return [
        CalendarDay(day, format_day(day), closed_reason(availability, day, closures, names),
                    by_day.get(day, []), day == today)
        for day in (monday + timedelta(days=i) for i in range(7))
    ]


def holidays_ahead(office, *, now: datetime | None = None) -> list[tuple[date, str]]:
    """National holidays (and closures) inside the booking horizon, for the coordinator's page."""
    now = now or timezone.now()
    availability = availability_for(office)
    window = booking_window(availability, now, office.tzinfo,
                            _closures_ahead(office, now, availability))
    today = now.astimezone(office.tzinfo).date()
    names = holidays_between(today, window.last_day,
                             cuti_bersama=availability.observe_cuti_bersama)
    return sorted(names.items())
