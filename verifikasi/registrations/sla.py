"""The service-time clock (issue 19): working days the office takes, vendor's time paused.

The office's service standard promises a verification within
``Office.sla_working_days`` working days. The clock runs while the registration
is with the office (submitted, documents accepted, scheduled, verified), is
paused while the office waits on the vendor (draft, revision requested) and
stops when the certificate is sent or the registration closes. Each status
change that starts or stops it (an effect of every transition) moves the days of
the span just ended into ``sla_used_days``; a running span keeps its start and
its due date, so the queue's "Terlambat" filter is one indexed comparison.
``manage.py sla_rebuild`` recomputes the due dates after the calendar changed.
"""

from datetime import date, timedelta

from verifikasi.offices.workdays import WorkCalendar

from . import workflow
from .deadlines import office_today
from .models import Registration
from .models import RegistrationStatus as S

RUNNING = frozenset({S.SUBMITTED, S.DOCUMENTS_ACCEPTED, S.SCHEDULED, S.VERIFIED})


def due_date(calendar: WorkCalendar, since: date, remaining: int) -> date:
    """The last working day of the service time (the day before ``since`` when none
    is left: overdue at once)."""
    if remaining <= 0:
        return since - timedelta(days=1)
    return calendar.add_working_days(since, remaining)


def sla_fields(registration: Registration, *, running: bool, today: date,
               calendar: WorkCalendar) -> dict:
    """The clock's columns after it starts (``running``) or stops today."""
    used = registration.sla_used_days
    if registration.sla_running_since is not None:
        used += max(calendar.working_days_between(registration.sla_running_since, today), 0)
    if not running:
        return {"sla_used_days": used, "sla_running_since": None, "sla_due_on": None}
    remaining = registration.office.sla_working_days - used
    return {"sla_used_days": used, "sla_running_since": today,
            "sla_due_on": due_date(calendar, today, remaining)}


@workflow.effect(*workflow.TRANSITIONS)
def sla_track(step: workflow.Step) -> None:
    """Start, pause or stop the service-time clock as the registration changes hands."""
    reg = step.registration
    running = step.target in RUNNING
    if running == (reg.sla_running_since is not None):
        return
    office = reg.office
    fields = sla_fields(reg, running=running, today=office_today(office),
                        calendar=WorkCalendar(office))
    Registration.objects.filter(pk=reg.pk).update(**fields)
    for name, value in fields.items():
        setattr(reg, name, value)


def sla_days_left(registration: Registration, *, today: date,
                  calendar: WorkCalendar) -> int | None:
    """Working days left of the service time (negative: overdue); None when not running."""
    if registration.sla_running_since is None or registration.sla_due_on is None:
        return None
    if today > registration.sla_due_on:
        return -max(calendar.working_days_between(registration.sla_due_on, today), 1)
    return calendar.working_days_between(today, registration.sla_due_on)


def sla_rebuild(*, office=None) -> int:
    """Recompute the due date of every running clock (after holidays or closures changed,
    or the office's service time): the days already used stay; returns how many changed."""
    rows = Registration.objects.filter(sla_running_since__isnull=False).select_related("office")
    if office is not None:
        rows = rows.filter(office=office)
    changed = 0
    calendars: dict[int, WorkCalendar] = {}
    for reg in rows.iterator(chunk_size=500):
        calendar = calendars.setdefault(reg.office_id, WorkCalendar(reg.office))
        since = reg.sla_running_since
        used_before = reg.sla_used_days
        due = due_date(calendar, since, reg.office.sla_working_days - used_before)
        if due != reg.sla_due_on:
            Registration.objects.filter(pk=reg.pk, sla_running_since=since).update(sla_due_on=due)
            changed += 1
    # Registrations open with the office but without a clock (from before the clock
    # existed): started from their last status change.
    missing = Registration.objects.filter(status__in=RUNNING, sla_running_since__isnull=True)
    if office is not None:
        missing = missing.filter(office=office)
    for reg in missing.select_related("office").iterator(chunk_size=500):
        calendar = calendars.setdefault(reg.office_id, WorkCalendar(reg.office))
        since = office_today(reg.office, reg.status_changed_at)
        due = due_date(calendar, since, reg.office.sla_working_days - reg.sla_used_days)
        Registration.objects.filter(pk=reg.pk, sla_running_since__isnull=True).update(
            sla_running_since=since, sla_due_on=due)
        changed += 1
    return changed
