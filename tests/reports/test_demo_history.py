"""The demo's history: months of registrations whose audit events the reports count."""

from collections import Counter
from datetime import date

from django.urls import reverse
from django.utils import timezone

from verifikasi.core.audit import audit_verify
from verifikasi.core.models import AuditEvent
from verifikasi.registrations.models import Registration
from verifikasi.reports import selectors, turnaround
from verifikasi.reports.demo import demo_history
from verifikasi.reports.periods import Period


def test_it_writes_a_history_the_chain_and_the_reports_accept(office, coordinator):
    assert demo_history(office=office, count=80) == 80
    assert demo_history(office=office, count=80) == 0  # once
    assert audit_verify().ok
    registrations = Registration.objects.filter(office=office, vendor__email__startswith="riwayat-")
    assert registrations.count() == 80
    # Every registration's status is where its last event left it, and no event is ahead.
    now = timezone.now()
    for r in registrations:
        last = AuditEvent.objects.filter(object_id=str(r.code)).order_by("-created_at").first()
        assert last.details["to"] == r.status and last.created_at <= now
        assert last.created_at == r.status_changed_at
    statuses = Counter(registrations.values_list("status", flat=True))
    assert statuses["completed"] > 20 and sum(statuses.values()) == 80
    period = Period("month", date.today().replace(day=1).replace(
        year=date.today().year - 1), date.today(), office.tzinfo)
    throughput, appointments = selectors.activity(office, period)
    assert throughput.rows[-1][1] == 80  # every one was submitted within the year
    assert throughput.rows[-1][9] >= 20  # certificates issued
    times, _rounds = turnaround.turnaround(office, period)
    assert times.rows[0][1] >= 20 and times.rows[0][2] > 0
    assert selectors.deficiency_reasons(office, period).rows
    assert any(row[2] for row in turnaround.verifiers(office, period).rows)


def test_the_historys_registrations_open_on_the_staff_pages(office, coordinator,
                                                           coordinator_client):
    demo_history(office=office, count=80)
    seen = set()
    for r in Registration.objects.filter(office=office).order_by("status", "pk"):
        if r.status in seen:
            continue
        seen.add(r.status)
        assert coordinator_client.get(f"/verifikator/{r.code}/").status_code == 200, r.status
    assert {"completed", "certificate_sent", "rejected", "withdrawn"} <= seen
    assert coordinator_client.get("/verifikator/?status=all").status_code == 200
    assert coordinator_client.get(reverse("schedule_calendar")).status_code == 200
