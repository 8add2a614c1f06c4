"""The deficiency deadline (issue 20): fix within N working days, or the registration lapses.

When a registration goes back to the vendor (deficiencies sent, C.3; a call that
found something to fix, C.8.a; an accepted correction request), the vendor gets
a deadline of ``Office.revision_deadline_days`` working days (holidays, cuti
bersama and closures not counted: ``offices.workdays``). Reminders go out 3 and
1 working days before; when the deadline has passed without a resubmission the
system moves the registration to "Gugur" (``lapse``). The verifier handling it
may extend the deadline once, with a reason.

The worker's upkeep (``revision_deadlines_upkeep``) finds what is due and
queues one task per reminder or lapse; each task claims its row with a
conditional UPDATE, so a reminder goes out once however often it is queued.
"""

from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from verifikasi.accounts.models import User
from verifikasi.core.audit import audit_log
from verifikasi.core.queue import enqueue
from verifikasi.core.validators import text_within
from verifikasi.notifications.services import email_queue
from verifikasi.offices.workdays import WorkCalendar

from . import workflow
from .models import Registration
from .models import RegistrationStatus as S

# kind → working days before the deadline
REMINDERS = {"3": 3, "1": 1}
EXTEND_MAX_DAYS = 30
# A reminder is due at most this many calendar days before its deadline (3 working
# days across Lebaran's holidays and cuti bersama), so the upkeep reads few rows.
REMINDER_SCAN_DAYS = 14
UPKEEP_EVERY_SECONDS = 600

ERR_ALREADY_EXTENDED = _("Batas waktu perbaikan sudah pernah diperpanjang; perpanjangan "
                         "hanya dapat diberikan satu kali.")
ERR_REASON_REQUIRED = _("Tuliskan alasan perpanjangan batas waktu.")
ERR_EXTEND_DAYS = _("Perpanjangan harus antara 1 dan %(max)s hari kerja.")
ERR_NOT_PASSED = _("Batas waktu perbaikan belum lewat.")


def office_today(office, now: datetime | None = None) -> date:
    return timezone.localtime(now or timezone.now(), office.tzinfo).date()


def days_left(registration: Registration, *, today: date,
              calendar: WorkCalendar | None = None) -> int | None:
    """Working days after ``today`` up to the deadline (0: today is the last day;
    negative: passed). None when there is no deadline running."""
    if registration.status != S.REVISION_REQUESTED or registration.revision_deadline is None:
        return None
    calendar = calendar or WorkCalendar(registration.office)
    return calendar.working_days_between(today, registration.revision_deadline)


def countdown_text(left: int | None) -> str:
    """"tinggal 3 hari kerja", "hari ini hari terakhir", "lewat 2 hari kerja"."""
    if left is None:
        return ""
    if left > 0:
        return ngettext("tinggal %(n)s hari kerja", "tinggal %(n)s hari kerja", left) % {
            "n": left}
    if left == 0:
        return str(_("hari ini hari terakhir"))
    return ngettext("lewat %(n)s hari kerja", "lewat %(n)s hari kerja", -left) % {"n": -left}


def deadline_panel(registration: Registration, user) -> dict | None:
    """What the staff's registration page shows of the deadline (None: none running)."""
    left = days_left(registration, today=office_today(registration.office))
    if left is None:
        return None
    return {"date": registration.revision_deadline, "left": left,
            "countdown": countdown_text(left), "overdue": left < 0,
            "extended_at": registration.revision_deadline_extended_at,
            "reason": registration.revision_deadline_extension_reason,
            "can_extend": (registration.revision_deadline_extended_at is None
                           and workflow.can(registration, "extend_deadline", user)),
            "max_days": EXTEND_MAX_DAYS}


# ---------- Setting the deadline (an effect of every way back to the vendor) ----------

def _deadline_fields(deadline: date) -> dict:
    return {"revision_deadline": deadline, "revision_deadline_extended_at": None,
            "revision_deadline_extension_reason": "", "revision_reminder_3_sent_at": None,
            "revision_reminder_1_sent_at": None}


@workflow.effect("request_revision", "record_not_yet", "reopen_for_correction")
def revision_deadline_set(step: workflow.Step) -> None:
    """Issue 20: the vendor has ``revision_deadline_days`` working days to fix and resubmit."""
    if step.target != S.REVISION_REQUESTED:
        return
    reg = step.registration
    office = reg.office
    deadline = WorkCalendar(office).add_working_days(office_today(office),
                                                     office.revision_deadline_days)
    fields = _deadline_fields(deadline)
    Registration.objects.filter(pk=reg.pk).update(**fields)
    for name, value in fields.items():
        setattr(reg, name, value)


# ---------- Extending it once ----------

@workflow.condition("extend_deadline")
def not_yet_extended(step: workflow.Step) -> list:
    return [ERR_ALREADY_EXTENDED] if step.registration.revision_deadline_extended_at else []


def revision_deadline_extend(*, registration: Registration, actor: User, days: int,
                             reason: str, request=None) -> Registration:
    """Issue 20: the verifier extends the deadline once, by ``days`` working days counted
    from the current deadline (or from today, when it already passed), with a reason."""
    workflow.require("extend_deadline", registration, actor)
    missing = workflow.problems("extend_deadline", registration, actor)
    if missing:
        raise workflow.WorkflowError(workflow.ERR_GUARD, missing)
    reason = text_within(reason, max_length=1000)
    if not reason:
        raise ValidationError(ERR_REASON_REQUIRED)
    if not 1 <= days <= EXTEND_MAX_DAYS:
        raise ValidationError(ERR_EXTEND_DAYS, params={"max": EXTEND_MAX_DAYS})
    office = registration.office
    today = office_today(office)
    start = max(registration.revision_deadline or today, today)
    deadline = WorkCalendar(office).add_working_days(start, days)
    now = timezone.now()
    with transaction.atomic():
        fields = {**_deadline_fields(deadline), "revision_deadline_extended_at": now,
                  "revision_deadline_extension_reason": reason}
        updated = Registration.objects.filter(
            pk=registration.pk, status=S.REVISION_REQUESTED,
            revision_deadline_extended_at__isnull=True).update(**fields)
        if not updated:
            registration.refresh_from_db()
            workflow.require("extend_deadline", registration, actor)
            raise workflow.WorkflowError(workflow.ERR_GUARD, [ERR_ALREADY_EXTENDED])
        previous = registration.revision_deadline
        for name, value in fields.items():
            setattr(registration, name, value)
        audit_log(action="registration.extend_deadline", actor=actor, office=office,
                  obj=registration, request=request,
                  details={"from": previous, "to": deadline, "days": days, "reason": reason})
        email_queue(template="revision_deadline_extended", to=registration.vendor.email,
                    office=office, context={
                        "registration": registration, "reason": reason,
                        "countdown": countdown_text(days_left(registration, today=today))})
    return registration


# ---------- Reminders and lapse (the worker) ----------

def revision_deadline_remind_send(*, registration_id: int, kind: str,
                                  now: datetime | None = None) -> str:
    """Email the 3- or 1-working-day reminder once per deadline (claimed by a
    conditional UPDATE on its ``sent_at``: a second run finds nothing to claim)."""
    if kind not in REMINDERS:
        return "skipped"
    sent_field = f"revision_reminder_{kind}_sent_at"
    now = now or timezone.now()
    with transaction.atomic():
        claimed = Registration.objects.filter(
            pk=registration_id, status=S.REVISION_REQUESTED,
            **{f"{sent_field}__isnull": True}).update(**{sent_field: now})
        if not claimed:
            return "skipped"
        reg = Registration.objects.select_related("office", "vendor").get(pk=registration_id)
        left = days_left(reg, today=office_today(reg.office, now))
        email_queue(template="revision_deadline_reminder", to=reg.vendor.email,
                    office=reg.office, context={"registration": reg, "days_left": left,
                                                "countdown": countdown_text(left)})
        audit_log(action="registration.deadline_reminded", office=reg.office, obj=reg,
                  details={"kind": kind, "deadline": reg.revision_deadline})
    return "sent"


@workflow.condition("lapse")
def deadline_passed(step: workflow.Step) -> list:
    reg = step.registration
    if reg.revision_deadline is None or office_today(reg.office) <= reg.revision_deadline:
        return [ERR_NOT_PASSED]
    return []


@workflow.effect("lapse")
def lapsed_email(step: workflow.Step) -> None:
    """The vendor is told the registration lapsed and how to start again."""
    reg = step.registration
    email_queue(template="registration_lapsed", to=reg.vendor.email, office=reg.office,
                context={"registration": reg})


def registration_lapse(*, registration_id: int) -> str:
    """Issue 20: the deadline passed without a resubmission: the registration lapses
    ("Gugur"), by the system, through the lifecycle map (email and audit there)."""
    reg = Registration.objects.select_related("office", "vendor").filter(
        pk=registration_id, status=S.REVISION_REQUESTED).first()
    if reg is None:
        return "skipped"
    try:
        workflow.transition(reg, "lapse", actor=None,
                            details={"deadline": reg.revision_deadline})
    except workflow.WorkflowError:
        return "skipped"  # resubmitted meanwhile, extended, or not yet due
    return "lapsed"


def _due_reminder(reg: Registration, left: int) -> str | None:
    if left < 0:
        return None
    if left <= REMINDERS["1"]:
        return "1" if reg.revision_reminder_1_sent_at is None else None
    if left <= REMINDERS["3"]:
        return "3" if reg.revision_reminder_3_sent_at is None else None
    return None


def revision_deadlines_tick() -> int:
    """The worker's upkeep entry: at most once per UPKEEP_EVERY_SECONDS per worker (a
    reminder or a lapse a few minutes late is on time; a scan every 30 s is not free)."""
    if not cache.add("registrations.revision_deadlines", "1", UPKEEP_EVERY_SECONDS):
        return 0
    return revision_deadlines_upkeep()


def revision_deadlines_upkeep(*, now: datetime | None = None) -> int:
    """Upkeep: queue the reminders that are due and the lapses of passed deadlines.

    Reads only registrations waiting on the vendor whose deadline is near and whose last
    reminder has not gone out, or whose deadline passed."""
    now = now or timezone.now()
    queued = 0
    calendars: dict[int, WorkCalendar] = {}
    today = timezone.localdate(now)
    horizon = today + timedelta(days=REMINDER_SCAN_DAYS)
    rows = (Registration.objects.filter(
        Q(revision_reminder_1_sent_at__isnull=True) | Q(revision_deadline__lt=today),
        status=S.REVISION_REQUESTED, revision_deadline__lte=horizon)
            .select_related("office").order_by("revision_deadline"))
    for reg in rows.iterator(chunk_size=500):
        calendar = calendars.setdefault(reg.office_id, WorkCalendar(reg.office))
        today = office_today(reg.office, now)
        if today > reg.revision_deadline:
            enqueue("verifikasi.registrations.tasks.registration_lapse", reg.pk)
            queued += 1
            continue
        kind = _due_reminder(reg, calendar.working_days_between(today, reg.revision_deadline))
        if kind:
            enqueue("verifikasi.registrations.tasks.revision_deadline_remind_send", reg.pk, kind)
            queued += 1
    return queued
