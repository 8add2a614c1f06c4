"""How long it takes: submission to certificate and each step between, per registration
whose certificate was issued in the period (the cohort), and the verifiers' decisions.

The per-registration timestamps are one grouped SQL query over the audit log (the
first submission, the first review decision, ...); the median and 90th percentile are
taken over those few rows in Python, the same way on SQLite and PostgreSQL.
"""

from collections import defaultdict
from datetime import timedelta

from django.db import connection
from django.db.models import Count, Max, Min, Q
from django.utils.translation import gettext as _

from verifikasi.accounts.models import User
from verifikasi.accounts.selectors import team_members
from verifikasi.core.models import AuditEvent
from verifikasi.registrations.models import Registration

from .periods import Period
from .selectors import backlog_statuses, reg
from .tables import Table, days, median, percentile, shown

REVIEW_DECISIONS = (reg("accept_documents"), reg("request_revision"))
# A verifier's decisions on a registration (the review and the call, or refusing it).
DECISIONS = (*REVIEW_DECISIONS, reg("record_pass"), reg("record_not_yet"), reg("reject"))
SUBMISSIONS = (reg("submit"), reg("resubmit"))
# What the turnaround reads of each registration (the office's index covers them).
STEP_ACTIONS = (*SUBMISSIONS, *REVIEW_DECISIONS, reg("record_pass"), reg("issue_certificate"),
                reg("confirm_receipt"))


def _first(action):
    return Min("created_at", filter=Q(action=action))


def _cohort(office, period: Period) -> list[dict]:
    """Per registration certified in the period: the moments of its steps."""
    certified = AuditEvent.objects.filter(
        office=office, action=reg("issue_certificate"),
        created_at__gte=period.since, created_at__lt=period.until).values("object_id")
    return list(
        # (The actions name registrations: no object_type test, so the index suffices.)
        AuditEvent.objects.filter(office=office, object_id__in=certified,
                                  action__in=STEP_ACTIONS)
        .values("object_id").annotate(
            submitted=_first(reg("submit")),
            first_decision=Min("created_at", filter=Q(action__in=REVIEW_DECISIONS)),
            first_revision=_first(reg("request_revision")),
            last_resubmit=Max("created_at", filter=Q(action=reg("resubmit"))),
            accepted=Max("created_at", filter=Q(action=reg("accept_documents"))),
            passed=Max("created_at", filter=Q(action=reg("record_pass"))),
            certified=_first(reg("issue_certificate")),
            received=_first(reg("confirm_receipt")),
            rounds=Count("seq", filter=Q(action=reg("request_revision"))),
        ).order_by())


def _steps():
    """(label, from, to) over the cohort's moments."""
    return [
        (_("Diajukan → tanda lulus terbit"), "submitted", "certified"),
        (_("Pemeriksaan pertama (diajukan → keputusan pertama)"), "submitted", "first_decision"),
        (_("Perbaikan oleh pelaku usaha (perbaikan pertama diminta → terakhir dikirim ulang)"),
         "first_revision", "last_resubmit"),
        (_("Menunggu jadwal (dokumen diterima → lulus video call)"), "accepted", "passed"),
        (_("Video call → tanda lulus terbit"), "passed", "certified"),
        (_("Tanda lulus terbit → diterima pelaku usaha"), "certified", "received"),
    ]


def turnaround(office, period: Period) -> tuple[Table, Table]:
    """Median and 90th percentile per step, and the rounds of deficiencies."""
    cohort = _cohort(office, period)
    rows = []
    for label, begin, end in _steps():
        spans = [(r[end] - r[begin]).total_seconds() for r in cohort
                 if r[begin] and r[end] and r[end] >= r[begin]]
        med, p90 = median(spans), percentile(spans, 0.9)
        rows.append([label, len(spans),
                     days(timedelta(seconds=med)) if med is not None else None,
                     days(timedelta(seconds=p90)) if p90 is not None else None])
    times = Table("turnaround", _("Waktu penyelesaian (hari)"),
                  [_("Tahap"), _("Pendaftaran"), _("Median"), _("Persentil ke-90")], rows,
                  _("Pendaftaran yang tanda lulusnya terbit dalam periode ini."))
    spread = defaultdict(int)
    for r in cohort:
        spread[min(r["rounds"], 3)] += 1
    labels = {0: _("Tanpa perbaikan"), 1: _("1 kali"), 2: _("2 kali"), 3: _("3 kali atau lebih")}
    total = sum(r["rounds"] for r in cohort)
    rounds = Table("rounds", _("Putaran perbaikan per pendaftaran"),
                   [_("Perbaikan diminta"), _("Pendaftaran")],
                   [[labels[k], spread[k]] for k in labels],
                   _("Rata-rata %(mean)s putaran per pendaftaran (%(n)s pendaftaran).") % {
                       "mean": shown(round(total / len(cohort), 2) if cohort else None, 2),
                       "n": len(cohort)})
    return times, rounds


# How far before the period a submission may lie and still start a decision's wait.
LOOKBACK = timedelta(days=90)


def _waits(office, period: Period) -> dict[int, list[float]]:
    """Seconds from each (re)submission to the review decision that followed it, per
    verifier: a window over the office's submissions and review decisions (index only on
    PostgreSQL), so only the decisions come back."""
    table = AuditEvent._meta.db_table
    seconds = ("EXTRACT(EPOCH FROM created_at - prev_at)" if connection.vendor == "postgresql"
               else "(julianday(created_at) - julianday(prev_at)) * 86400")
    steps = (*SUBMISSIONS, *REVIEW_DECISIONS)
    sql = f"""
        SELECT actor_id, {seconds} FROM (
            SELECT actor_id, action, created_at,
                   LAG(action) OVER w AS prev_action, LAG(created_at) OVER w AS prev_at
            FROM {table}
            WHERE office_id = %s AND action IN ({", ".join(["%s"] * len(steps))})
              AND created_at >= %s AND created_at < %s
            WINDOW w AS (PARTITION BY object_id ORDER BY seq)
        ) AS e
        WHERE action IN (%s, %s) AND prev_action IN (%s, %s) AND actor_id IS NOT NULL
          AND created_at >= %s"""  # noqa: S608 -- table name and placeholders only
    params = [office.pk, *steps, period.since - LOOKBACK, period.until,
              *REVIEW_DECISIONS, *SUBMISSIONS, period.since]
    waits = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for actor_id, wait in cursor.fetchall():
            waits[actor_id].append(float(wait))
    return waits


def verifiers(office, period: Period) -> Table:
    """Per verifier: open registrations assigned now, decisions in the period, and the
    median time from the vendor's (re)submission to the review decision."""
    counts = defaultdict(lambda: defaultdict(int))
    for actor_id, action, n in (
            AuditEvent.objects.filter(office=office, action__in=DECISIONS, actor__isnull=False,
                                      created_at__gte=period.since, created_at__lt=period.until)
            .values_list("actor_id", "action").annotate(n=Count("*")).order_by()):
        counts[actor_id][action] = n
    waits = _waits(office, period)
    workload = dict(Registration.objects.filter(
        office=office, status__in=backlog_statuses(), assigned_to__isnull=False)
        .values_list("assigned_to").annotate(n=Count("*")).order_by())
    people = list(team_members(office))
    known = {p.pk for p in people}
    people += list(User.objects.filter(pk__in=set(counts) - known))
    rows = []
    for person in people:
        c = counts.get(person.pk, {})
        wait = median(waits.get(person.pk, []))
        rows.append([str(person), workload.get(person.pk, 0), sum(c.values()),
                     c.get(reg("accept_documents"), 0), c.get(reg("request_revision"), 0),
                     c.get(reg("record_pass"), 0), c.get(reg("record_not_yet"), 0),
                     c.get(reg("reject"), 0),
                     days(timedelta(seconds=wait)) if wait is not None else None])
    return Table("verifiers", _("Per verifikator"),
                 [_("Verifikator"), _("Ditangani sekarang"), _("Keputusan"),
                  _("Dokumen diterima"), _("Perbaikan diminta"), _("Lulus"), _("Belum lulus"),
                  _("Ditolak"), _("Median waktu ke keputusan pemeriksaan (hari)")], rows,
                 _("Waktu ke keputusan: dari pendaftaran diajukan (atau dikirim ulang) sampai "
                   "dokumen diterima atau perbaikan diminta."))
