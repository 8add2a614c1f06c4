"""Which tables make the report, who may see each, and the charts drawn from them."""

from django.utils.translation import gettext as _

from verifikasi.registrations import workflow

from . import selectors, turnaround
from .charts import bar_chart, hbar_chart
from .periods import Period
from .tables import Table

# key → (builder(office, period) → Tables by key, the office action needed to see it)
_GROUPS = [
    (("throughput", "appointments"), selectors.activity, "view_reports"),
    (("turnaround", "rounds"), turnaround.turnaround, "view_reports"),
    (("backlog",), lambda office, period: (selectors.backlog(office),), "view_reports"),
    (("backlog_oldest",), lambda office, period: (selectors.backlog_oldest(office),),
     "view_reports"),
    (("verifiers",), turnaround.verifiers, "view_verifier_report"),
    (("deficiencies",), selectors.deficiency_reasons, "view_reports"),
    (("lead_time",), selectors.lead_time, "view_reports"),
]
KEYS = [key for keys, _, _ in _GROUPS for key in keys]


def _allowed(action: str, office, user) -> bool:
    return workflow.can_office(action, office, user)


def report_tables(office, period: Period, user, only: str | None = None) -> dict[str, Table]:
    """The tables ``user`` may see (all of them, or ``only`` that one), in page order."""
    tables = {}
    for keys, build, action in _GROUPS:
        if (only and only not in keys) or not _allowed(action, office, user):
            continue
        built = build(office, period)
        tables.update(zip(keys, built if isinstance(built, tuple) else (built,), strict=True))
    return {key: tables[key] for key in KEYS if key in tables and (not only or key == only)}


def report_charts(tables: dict[str, Table]) -> dict[str, str]:
    """SVG charts for the tables that have one (the same numbers, drawn)."""
    charts = {}
    if "throughput" in tables:
        t = tables["throughput"]
        rows = t.rows[:-1]  # without the total
        columns = [t.headers.index(_("Diajukan")), t.headers.index(_("Tanda lulus terbit"))]
        charts["throughput"] = bar_chart(
            _("Diajukan dan tanda lulus terbit per periode"), [r[0] for r in rows],
            [(t.headers[c], [r[c] for r in rows]) for c in columns], "chart-throughput")
    if "backlog" in tables:
        charts["backlog"] = hbar_chart(_("Antrean terbuka per status"),
                                       [(r[0], r[1]) for r in tables["backlog"].rows[:-1]],
                                       "chart-backlog")
    if "lead_time" in tables:
        charts["lead_time"] = hbar_chart(_("Jarak pemesanan jadwal"),
                                         [(r[0], r[1]) for r in tables["lead_time"].rows],
                                         "chart-lead-time")
    return charts
