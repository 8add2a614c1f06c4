"""How long it takes: submission to certificate and each step between, per registration
whose certificate was issued in the period (the cohort), and the verifiers' decisions.

The per-registration timestamps are one grouped SQL query over the audit log (the
first submission, the first review decision, ...); the median and 90th percentile are
taken over those few rows in Python, the same way on SQLite and PostgreSQL.
"""

from collections import defaultdict
from datetime import timedelta

from django.db.models import Count, Max, Min, Q
from django.utils.translation import gettext as _

from verifikasi.accounts.models import User
from verifikasi.accounts.selectors import team_members
from verifikasi.core.models import AuditEvent
from verifikasi.registrations.models import Registration

from .periods import Period
from .selectors import REGISTRATION, backlog_statuses, reg
from .tables import Table, days, median, percentile, shown

REVIEW_DECISIONS = (reg("accept_documents"), reg("request_revision"))
# A verifier's decisions on a registration (the review and the call, or refusing it).
DECISIONS = (*REVIEW_DECISIONS, reg("record_pass"), reg("record_not_yet"), reg("reject"))
SUBMISSIONS = (reg("submit"), reg("resubmit"))


def _first(action):
    return Min("created_at", filter=Q(action=action))


def _cohort(office, period: Period) -> list[dict]:
    """Per registration certified in the period: the moments of its steps."""
    certified = AuditEvent.objects.filter(
        office=office, action=reg("issue_certificate"),
        created_at__gte=period.since, created_at__lt=period.until).values("object_id")
    return list(
        AuditEvent.objects.filter(office=office, object_type=REGISTRATION,
                                  object_id__in=certified, action__startswith="registration.")
        .values("object_id").annotate(
            submitted=_first(reg("submit")),
            first_decision=Min("created_at", filter=Q(action__in=REVIEW_DECISIONS)),
            first_revision=_first(reg("request_revision")),
            last_resubmit=Max("created_at", filter=Q(action=reg("resubmit"))),
            accepted=Max("created_at", filter=Q(action=reg("accept_documents"))),
            passed=Max("created_at", filter=Q(action=reg("record_pass"))),
            certified=_first(reg("issue_certificate")),
            received=_first(reg("confirm_receipt")),
            rounds=Count("id", filter=Q(action=reg("request_revision"))),
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


def verifiers(office, period: Period) -> Table:
    """Per verifier: open registrations assigned now, decisions in the period, and the
    median time from the vendor's (re)submission to the review decision."""
    decided = AuditEvent.objects.filter(
        office=office, action__in=DECISIONS, actor__isnull=False,
        created_at__gte=period.since, created_at__lt=period.until)
    events = (AuditEvent.objects
              .filter(office=office, object_type=REGISTRATION,
                      object_id__in=decided.values("object_id"),
                      action__in=(*DECISIONS, *SUBMISSIONS), created_at__lt=period.until)
              .order_by("object_id", "seq")
              .values_list("object_id", "action", "actor_id", "created_at"))
    counts = defaultdict(lambda: defaultdict(int))
    waits = defaultdict(list)
    last_object, submitted = None, None
    for object_id, action, actor_id, at in events:
        if object_id != last_object:
            last_object, submitted = object_id, None
        if action in SUBMISSIONS:
            submitted = at
            continue
        if actor_id is None or at < period.since:
            continue
        counts[actor_id][action] += 1
        if action in REVIEW_DECISIONS and submitted is not None:
            waits[actor_id].append((at - submitted).total_seconds())
            submitted = None
    workload = dict(Registration.objects.filter(
        office=office, status__in=backlog_statuses(), assigned_to__isnull=False)
        .values_list("assigned_to").annotate(n=Count("id")).order_by())
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
