"""The weekly service-time summary to the office head (issue 19).

Once a week (from Monday, office time; the first one the week after the office
starts using it) the worker's upkeep queues one summary per office that has a Ketua
Tim: registrations with the office and their days left, the overdue ones first, and
the deficiency deadlines running out. ``Office.sla_summary_week`` is
claimed with a conditional UPDATE, so each week's summary goes out once however
many workers run the upkeep.
"""

from datetime import date, timedelta

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from verifikasi.accounts.selectors import head_emails
from verifikasi.core.audit import audit_log
from verifikasi.core.queue import enqueue
from verifikasi.notifications.services import email_queue
from verifikasi.offices.models import Office
from verifikasi.offices.workdays import WorkCalendar

from .deadlines import UPKEEP_EVERY_SECONDS, days_left, office_today
from .models import Registration
from .models import RegistrationStatus as S
from .sla import RUNNING, sla_days_left

# The summary lists at most this many registrations of each kind (the queue has the rest).
LISTED = 20


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def sla_summary(office: Office, *, today: date) -> dict:
    """What the head reads: counts and the registrations that need attention."""
    calendar = WorkCalendar(office)
    running = list(Registration.objects.filter(
        office=office, status__in=RUNNING, sla_due_on__isnull=False)
        .order_by("sla_due_on", "pk")[:500])
    for reg in running:
        reg.sla_left = sla_days_left(reg, today=today, calendar=calendar)
    overdue = [r for r in running if r.sla_left is not None and r.sla_left < 0]
    for reg in overdue:
        reg.late = -reg.sla_left
    waiting = list(Registration.objects.filter(
        office=office, status=S.REVISION_REQUESTED, revision_deadline__isnull=False)
        .order_by("revision_deadline", "pk")[:LISTED])
    for reg in waiting:
        reg.deadline_left = days_left(reg, today=today, calendar=calendar)
    week_ago = timezone.now() - timedelta(days=7)
    return {
        "running": len(running),
        "overdue": overdue[:LISTED],
        "overdue_count": len(overdue),
        "due_soon": [r for r in running if r.sla_left is not None and 0 <= r.sla_left <= 1][
            :LISTED],
        "waiting": waiting,
        "lapsed_week": Registration.objects.filter(
            office=office, status=S.LAPSED, status_changed_at__gte=week_ago).count(),
    }


def sla_summary_send(*, office_id: int, now=None) -> str:
    """Email this week's summary to the office head, once per week."""
    office = Office.objects.get(pk=office_id)
    today = office_today(office, now)
    monday = week_start(today)
    heads = head_emails(office)
    if not heads:
        return "skipped"  # no Ketua Tim to tell (as for the daily audit anchor)
    with transaction.atomic():
        claimed = Office.objects.filter(pk=office_id).exclude(sla_summary_week=monday).update(
            sla_summary_week=monday)
        if not claimed:
            return "skipped"
        summary = sla_summary(office, today=today)
        email_queue(template="sla_summary", to=heads, office=office,
                    context={"summary": summary, "week": monday, "today": today})
        audit_log(action="registration.sla_summary_sent", office=office, obj=office,
                  details={"week": monday, "overdue": summary["overdue_count"],
                           "running": summary["running"]})
    return "sent"


def sla_summaries_tick() -> int:
    """The worker's upkeep entry: at most once per 10 minutes per worker."""
    if not cache.add("registrations.sla_summaries", "1", UPKEEP_EVERY_SECONDS):
        return 0
    return sla_summaries_upkeep()


def sla_summaries_upkeep(*, now=None) -> int:
    """Upkeep: queue the summary of every office whose week's summary has not gone out."""
    queued = 0
    for office in Office.objects.all():
        monday = week_start(office_today(office, now))
        if office.sla_summary_week is None:
            # A new office (or a new installation) starts the cycle: its first summary
            # goes out next week, with a week of clocks behind it.
            Office.objects.filter(pk=office.pk, sla_summary_week__isnull=True).update(
                sla_summary_week=monday)
            continue
        if office.sla_summary_week != monday and head_emails(office):
            enqueue("verifikasi.registrations.tasks.sla_summary_send", office.pk)
            queued += 1
    return queued
