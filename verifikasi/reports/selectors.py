"""The office's figures, counted in SQL from the audit log and the models (issue 19).

Every status change writes ``registration.<action>`` into the audit log (with its
office and time), so counts per period are one grouped query over the log; the
backlog is read from the registrations themselves. Each function returns a
``tables.Table``. Who may see which table is the map's business (views).
"""

from collections import defaultdict
from datetime import timedelta

from django.db.models import Count, Min, Q
from django.db.models.functions import Trunc
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from verifikasi.core.models import AuditEvent
from verifikasi.registrations.models import (
    BACKLOG_STATUSES,
    Decision,
    DocumentReview,
    Registration,
    RegistrationStatus,
)
from verifikasi.scheduling.models import Appointment

from .periods import Period
from .tables import Table, days, median, percentile, rate, shown

REGISTRATION = Registration._meta.label_lower


def reg(action: str) -> str:
    return f"registration.{action}"


# The throughput columns: (header, the audit actions counted). A new lifecycle action
# that ends a registration (e.g. a lapse) is one more line here.
def throughput_columns() -> list[tuple[str, tuple[str, ...]]]:
    return [
        (_("Diajukan"), (reg("submit"),)),
        (_("Dokumen diterima"), (reg("accept_documents"),)),
        (_("Video call diadakan"), (reg("record_pass"), reg("record_not_yet"))),
        (_("Lulus"), (reg("record_pass"),)),
        (_("Belum lulus"), (reg("record_not_yet"),)),
        (_("Ditolak"), (reg("reject"),)),
        (_("Dibatalkan"), (reg("withdraw"),)),
        (_("Gugur"), (reg("lapse"),)),
        (_("Tanda lulus terbit"), (reg("issue_certificate"),)),
        (_("Tanda lulus dicabut"), ("certificate.revoked",)),
    ]


def appointment_columns() -> list[tuple[str, tuple[str, ...]]]:
    return [
        (_("Jadwal dikonfirmasi"), (reg("confirm_schedule"), reg("accept_offer"))),
        (_("Dijadwal ulang"), (reg("reschedule"),)),
        (_("Tidak hadir"), (reg("record_no_show"),)),
        (_("Video call diadakan"), (reg("record_pass"), reg("record_not_yet"))),
    ]


def _counts(office, period: Period, actions) -> dict:
    """{(bucket date, action): count} of the office's audit events in the period."""
    rows = (AuditEvent.objects
            .filter(office=office, action__in=actions,
                    created_at__gte=period.since, created_at__lt=period.until)
            .annotate(bucket=Trunc("created_at", period.group, tzinfo=period.tz))
            .values("bucket", "action").annotate(n=Count("*")).order_by())
    found = defaultdict(int)
    for row in rows:
        bucket = timezone.localtime(row["bucket"], period.tz).date() \
            if hasattr(row["bucket"], "hour") else row["bucket"]
        found[(bucket, row["action"])] += row["n"]
    return found


def _per_bucket(period: Period, counts: dict, columns) -> list[list]:
    rows = []
    for bucket in period.buckets():
        rows.append([period.label(bucket)] + [
            sum(counts[(bucket, action)] for action in actions) for _, actions in columns])
    rows.append([_("Jumlah")] + [sum(row[i] for row in rows)
                                 for i in range(1, len(columns) + 1)])
    return rows


def activity(office, period: Period) -> tuple[Table, Table]:
    """Throughput and the appointments' fate per week or month, from one grouped query."""
    through, booked = throughput_columns(), appointment_columns()
    actions = {a for _, actions in through + booked for a in actions}
    counts = _counts(office, period, actions)
    throughput = Table("throughput", _("Jumlah per periode"),
                       [_("Periode")] + [h for h, _ in through],
                       _per_bucket(period, counts, through))
    rows = _per_bucket(period, counts, booked)
    for row in rows:
        confirmed, rescheduled, no_show, held = row[1:5]
        row += [rate(no_show, held + no_show), rate(rescheduled, confirmed)]
    appointments = Table(
        "appointments", _("Jadwal: tidak hadir dan jadwal ulang"),
        [_("Periode")] + [h for h, _ in booked] + [_("Tingkat tidak hadir (%)"),
                                                   _("Tingkat jadwal ulang (%)")],
        rows, _("Tingkat tidak hadir = tidak hadir ÷ (video call diadakan + tidak hadir); "
                "tingkat jadwal ulang = dijadwal ulang ÷ jadwal dikonfirmasi."))
    return throughput, appointments


def backlog_statuses() -> list[str]:
    """Open registrations the office has to move: every open status but the vendor's draft."""
    return BACKLOG_STATUSES


AGE_BANDS = [(0, 3), (4, 7), (8, 14), (15, None)]


def _band_label(low, high) -> str:
    return (_("%(low)s–%(high)s hari") % {"low": low, "high": high} if high is not None
            else _("> %(low)s hari") % {"low": low - 1})


def backlog(office, now=None) -> Table:
    """Open registrations by status and by days since submission (now, not per period)."""
    now = now or timezone.now()
    bands = {}
    for i, (low, high) in enumerate(AGE_BANDS):
        q = Q(submitted_at__lte=now - timedelta(days=low))
        if high is not None:
            q &= Q(submitted_at__gt=now - timedelta(days=high + 1))
        bands[f"b{i}"] = Count("submitted_at", filter=q)
    rows = {r["status"]: r for r in (
        Registration.objects.filter(office=office, status__in=backlog_statuses())
        .values("status").annotate(n=Count("*"), oldest=Min("submitted_at"), **bands)
        .order_by())}
    table_rows = []
    for status in backlog_statuses():
        r = rows.get(status, {"n": 0, "oldest": None, **{k: 0 for k in bands}})
        oldest = r["oldest"] and timezone.localtime(r["oldest"], office.tzinfo).date()
        table_rows.append([str(RegistrationStatus(status).label), r["n"],
                           *[r[k] for k in bands], oldest])
    table_rows.append([_("Jumlah"), *[sum(row[i] for row in table_rows)
                                      for i in range(1, len(bands) + 2)], None])
    return Table("backlog", _("Antrean terbuka menurut status dan umur"),
                 [_("Status"), _("Jumlah")] + [_band_label(lo, hi) for lo, hi in AGE_BANDS]
                 + [_("Diajukan paling awal")],
                 table_rows, _("Umur dihitung sejak pendaftaran diajukan."))


def backlog_oldest(office, now=None, limit: int = 25) -> Table:
    """The oldest open registrations first, each linking to its page."""
    now = now or timezone.now()
    regs = (Registration.objects.filter(office=office, status__in=backlog_statuses())
            .select_related("assigned_to").order_by("submitted_at", "pk")[:limit])
    rows, links = [], []
    for r in regs:
        rows.append([r.company_name or "—", r.get_status_display(),
                     r.submitted_at and timezone.localtime(r.submitted_at, office.tzinfo).date(),
                     days(now - r.submitted_at) if r.submitted_at else None,
                     days(now - r.status_changed_at),
                     str(r.assigned_to) if r.assigned_to else "—"])
        links.append(reverse("staff_review", args=[r.code]))
    return Table("backlog_oldest", _("Pendaftaran terbuka paling lama"),
                 [_("Perusahaan"), _("Status"), _("Diajukan"), _("Umur (hari)"),
                  _("Di status ini (hari)"), _("Verifikator")], rows, links=links)


def deficiency_reasons(office, period: Period, per_type: int = 5) -> Table:
    """The most common reasons a document needed fixing, per document type."""
    through = DocumentReview.reasons.through
    reviews = Q(documentreview__registration__office=office,
                documentreview__decision=Decision.NEEDS_FIX,
                documentreview__decided_at__gte=period.since,
                documentreview__decided_at__lt=period.until)
    counted = (through.objects.filter(reviews)
               .values("documentreview__document_type__name",
                       "documentreview__document_type__order", "deficiencyreason__label")
               .annotate(n=Count("id"))
               .order_by("documentreview__document_type__order",
                         "documentreview__document_type__name", "-n",
                         "deficiencyreason__label"))
    totals = dict(DocumentReview.objects.filter(
        registration__office=office, decision=Decision.NEEDS_FIX,
        decided_at__gte=period.since, decided_at__lt=period.until)
        .values_list("document_type__name").annotate(n=Count("id")).order_by())
    rows, shown = [], defaultdict(int)
    for r in counted:
        name = r["documentreview__document_type__name"]
        shown[name] += 1
        if shown[name] <= per_type:
            rows.append([name, r["deficiencyreason__label"], r["n"],
                         rate(r["n"], totals.get(name, 0))])
    return Table("deficiencies", _("Alasan perbaikan terbanyak per jenis dokumen"),
                 [_("Jenis dokumen"), _("Alasan"), _("Jumlah"),
                  _("Bagian dari dokumen yang perlu perbaikan (%)")], rows,
                 _("Satu dokumen dapat memiliki beberapa alasan."))


LEAD_BANDS = [(0, 1), (1, 3), (3, 8), (8, 15), (15, None)]


def lead_time(office, period: Period) -> Table:
    """How far ahead calls are booked: from the confirmation to the call's start."""
    leads = [(start - confirmed).total_seconds() for confirmed, start in
             Appointment.objects.filter(office=office, confirmed_at__gte=period.since,
                                        confirmed_at__lt=period.until, start__isnull=False)
             .values_list("confirmed_at", "start")]
    rows = []
    for low, high in LEAD_BANDS:
        n = sum(1 for s in leads if s >= low * 86400 and (high is None or s < high * 86400))
        if high is None:
            label = _("%(low)s hari atau lebih") % {"low": low}
        elif high == 1:
            label = _("kurang dari 1 hari")
        else:
            label = _("%(low)s–%(high)s hari") % {"low": low, "high": high - 1}
        rows.append([label, n, rate(n, len(leads))])
    med, p90 = median(leads), percentile(leads, 0.9)
    note = _("Median %(median)s hari, persentil ke-90 %(p90)s hari, dari %(n)s jadwal.") % {
        "median": shown(days(timedelta(seconds=med)) if med is not None else None),
        "p90": shown(days(timedelta(seconds=p90)) if p90 is not None else None),
        "n": len(leads)}
    return Table("lead_time", _("Jarak pemesanan jadwal sebelum video call"),
                 [_("Jarak"), _("Jadwal"), _("Bagian (%)")], rows, note)
