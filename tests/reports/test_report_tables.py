"""Each report table on the small history of conftest.py, against numbers worked by hand."""

from datetime import date

import pytest

from verifikasi.core.audit import audit_verify
from verifikasi.reports import selectors, turnaround
from verifikasi.reports.periods import Period
from verifikasi.reports.report import report_tables


@pytest.fixture
def period(office):
    return Period("month", date(2026, 10, 1), date(2026, 11, 30), office.tzinfo)


def test_it_keeps_the_audit_chain_valid_with_dated_history(history):
    assert audit_verify().ok


def test_it_counts_throughput_per_month(history, office, period):
    table, _ = selectors.activity(office, period)
    assert table.headers == ["Periode", "Diajukan", "Dokumen diterima", "Video call diadakan",
                             "Lulus", "Belum lulus", "Ditolak", "Dibatalkan", "Gugur",
                             "Tanda lulus terbit", "Tanda lulus dicabut"]
    assert table.rows == [
        ["2026-10", 2, 2, 1, 1, 0, 0, 0, 0, 1, 0],
        ["2026-11", 2, 0, 1, 1, 0, 1, 1, 0, 1, 1],
        ["Jumlah", 4, 2, 2, 2, 0, 1, 1, 0, 2, 1],
    ]


def test_a_lapsed_registration_is_counted_in_its_month(history, office, vendor, period):
    from tests.reports.conftest import _registration, at
    from verifikasi.core.audit import audit_log_history
    from verifikasi.registrations.models import RegistrationStatus

    g = _registration(office, vendor, "CV Gugur", RegistrationStatus.LAPSED, at(office, 10, 20))
    audit_log_history([
        {"action": "registration.submit", "actor": vendor, "office": office, "obj": g,
         "at": at(office, 10, 20)},
        {"action": "registration.lapse", "actor": None, "office": office, "obj": g,
         "at": at(office, 11, 25)}])
    table, _ = selectors.activity(office, period)
    gugur = table.headers.index("Gugur")
    assert [row[gugur] for row in table.rows] == [0, 1, 1]
    assert table.rows[0][1] == 3  # and its submission in October


def test_it_groups_by_iso_week(history, office):
    week = Period("week", date(2026, 10, 1), date(2026, 10, 11), office.tzinfo)
    table, _ = selectors.activity(office, week)
    # 1 Oct 2026 is a Thursday: weeks 40 (28 Sep–4 Oct) and 41 (5–11 Oct).
    assert [row[:3] for row in table.rows] == [["2026-W40", 1, 1], ["2026-W41", 1, 1],
                                               ["Jumlah", 2, 2]]


def test_it_computes_no_show_and_reschedule_rates(history, office, period):
    _, table = selectors.activity(office, period)
    assert table.rows == [
        ["2026-10", 4, 1, 1, 1, 50.0, 25.0],
        ["2026-11", 0, 0, 0, 1, 0.0, None],
        ["Jumlah", 4, 1, 1, 2, 33.3, 25.0],
    ]


def test_it_computes_turnaround_median_and_p90(history, office, period):
    times, rounds = turnaround.turnaround(office, period)
    # A: 1 Oct → 9 Oct (8 days); B: 5 Oct → 4 Nov (30 days).
    assert times.rows == [
        ["Diajukan → tanda lulus terbit", 2, 19.0, 27.8],
        ["Pemeriksaan pertama (diajukan → keputusan pertama)", 2, 1.5, 1.9],
        ["Perbaikan oleh pelaku usaha (perbaikan pertama diminta → terakhir dikirim ulang)",
         1, 3.0, 3.0],
        ["Menunggu jadwal (dokumen diterima → lulus video call)", 2, 14.0, 21.2],
        ["Video call → tanda lulus terbit", 2, 1.5, 1.9],
        ["Tanda lulus terbit → diterima pelaku usaha", 1, 1.0, 1.0],
    ]
    assert rounds.rows == [["Tanpa perbaikan", 1], ["1 kali", 1], ["2 kali", 0],
                           ["3 kali atau lebih", 0]]
    assert "Rata-rata 0,50 putaran" in rounds.note


def test_it_shows_the_backlog_by_status_and_age_oldest_first(history, office):
    table = selectors.backlog(office)
    by_status = {row[0]: row[1:] for row in table.rows}
    assert by_status["Diajukan"][:5] == [1, 0, 0, 1, 0]  # 10 days: 8–14
    assert by_status["Dokumen diterima"][:5] == [1, 0, 0, 0, 1]  # 20 days: > 14
    assert by_status["Tanda lulus dikirim"][:5] == [1, 0, 0, 0, 1]  # B, waiting for receipt
    assert "Draf" not in by_status
    assert table.rows[-1][:6] == ["Jumlah", 3, 0, 0, 1, 2]
    oldest = selectors.backlog_oldest(office)
    assert [row[0] for row in oldest.rows] == ["CV Beta", "CV Fajar", "CV Eka"]
    assert oldest.links == [f"/verifikator/{history[k].code}/" for k in "bfe"]
    assert [row[3] for row in oldest.rows][1:] == [20.0, 10.0]


def test_it_counts_each_verifiers_decisions_and_time_to_decide(
        history, office, period, verifier, coordinator):
    table = turnaround.verifiers(office, period)
    rows = {row[0]: row[1:] for row in table.rows}
    # workload, decisions, accepted, fixes asked, passed, not yet, rejected, median days
    assert rows["Verifikator Satu"] == [1, 5, 1, 1, 2, 0, 1, 1.5]
    assert rows["Ketua Tim"] == [1, 1, 1, 0, 0, 0, 0, 1.0]


def test_it_ranks_deficiency_reasons_per_document_type(history, office, period):
    table = selectors.deficiency_reasons(office, period)
    r1, r2, r3 = history["reasons"]
    ktp, npwp = history["ktp"].name, history["npwp"].name
    assert table.rows == [[ktp, r1.label, 2, 100.0], [ktp, r2.label, 1, 50.0],
                          [npwp, r3.label, 1, 100.0]]


def test_it_measures_how_far_ahead_calls_are_booked(history, office, period):
    table = selectors.lead_time(office, period)
    assert [row[1] for row in table.rows] == [1, 0, 1, 0, 1]
    assert table.rows[0][0] == "kurang dari 1 hari"
    assert table.rows[-1][0] == "15 hari atau lebih"
    assert table.note == "Median 4,0 hari, persentil ke-90 14,4 hari, dari 3 jadwal."


def test_another_offices_figures_stay_out(history, other_office, period):
    tables = report_tables(other_office, period, None)
    assert tables == {}  # nobody of that office asked
    throughput, _ = selectors.activity(other_office, period)
    assert throughput.rows[-1] == ["Jumlah", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert selectors.backlog(other_office).rows[-1][1] == 0
    assert turnaround.turnaround(other_office, period)[0].rows[0][1] == 0
    assert selectors.deficiency_reasons(other_office, period).rows == []


def test_a_dated_audit_event_keeps_its_time_and_the_chain(office):
    from datetime import datetime

    from verifikasi.core.audit import audit_log

    when = datetime(2026, 3, 4, 10, 30, tzinfo=office.tzinfo)
    event = audit_log(action="report.viewed", office=office, at=when)
    event.refresh_from_db()
    assert event.created_at == when
    assert audit_verify().ok
