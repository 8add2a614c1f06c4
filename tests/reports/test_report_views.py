"""The reports page and its exports: who may see them, what they hold, what is audited."""

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.conftest import assert_private_no_store, login, make_user
from verifikasi.accounts.models import Role
from verifikasi.core.event_text import describe
from verifikasi.core.models import AuditEvent

from .conftest import PERIOD

URL = "/staf/laporan/"


def test_it_shows_every_table_and_chart_to_the_office_head(history, coordinator_client):
    response = coordinator_client.get(URL, PERIOD)
    assert response.status_code == 200
    assert_private_no_store(response)
    body = response.content.decode()
    for key in ("throughput", "appointments", "turnaround", "rounds", "backlog",
                "backlog_oldest", "verifiers", "deficiencies", "lead_time"):
        assert f'id="laporan-{key}"' in body
        assert f"/staf/laporan/{key}.xlsx?group=month&amp;start=2026-10-01" in body
    assert body.count("<svg") == 3
    assert "style=" not in body.split("<main", 1)[1]  # CSP: no inline styles
    assert f'href="/verifikator/{history["f"].code}/"' in body
    assert "Verifikator Satu" in body


def test_it_audits_the_viewing(history, coordinator, coordinator_client):
    coordinator_client.get(URL, PERIOD)
    event = AuditEvent.objects.get(action="report.viewed")
    assert event.actor == coordinator and event.office == coordinator.office
    assert event.details["start"] == "2026-10-01" and "verifiers" in event.details["tables"]


def test_it_shows_the_admin_all_but_the_per_verifier_table(history, office_admin_client):
    body = office_admin_client.get(URL, PERIOD).content.decode()
    assert 'id="laporan-throughput"' in body
    assert 'id="laporan-verifiers"' not in body
    response = office_admin_client.get(URL + "verifiers.csv", PERIOD)
    assert response.status_code == 403


@pytest.mark.parametrize("who", ["verifier", "vendor"])
def test_it_refuses_verifiers_and_vendors(history, client, request, who):
    login(client, request.getfixturevalue(who))
    assert client.get(URL, PERIOD).status_code == 403
    assert client.get(URL + "throughput.csv", PERIOD).status_code == 403
    assert not AuditEvent.objects.filter(action__startswith="report.").exists()


def test_it_sends_strangers_to_the_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/akun/login/" in response["Location"]


def test_another_offices_head_sees_none_of_this_office(history, client, other_office):
    head = make_user("ketua@sambas.test", Role.COORDINATOR, other_office, totp=True)
    login(client, head)
    body = client.get(URL, PERIOD).content.decode()
    assert "CV Fajar" not in body and "Verifikator Satu" not in body
    rows = list(csv.reader(io.StringIO(
        client.get(URL + "throughput.csv", PERIOD).content.decode("utf-8-sig"))))
    assert rows[-1] == ["Jumlah", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"]


def test_it_exports_a_table_as_csv_with_indonesian_headers(history, coordinator_client,
                                                          coordinator):
    response = coordinator_client.get(URL + "throughput.csv", PERIOD)
    assert response.status_code == 200
    assert_private_no_store(response)
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="laporan-throughput-2026-10-01-2026-11-30.csv"' in \
        response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0].startswith("LPSE") and "Jumlah per periode" in rows[0][0]
    assert rows[2][:3] == ["Periode", "Diajukan", "Dokumen diterima"]
    assert rows[-1] == ["Jumlah", "4", "2", "2", "2", "0", "1", "1", "0", "2", "1"]
    event = AuditEvent.objects.get(action="report.exported")
    assert describe(event.action, event.details) == (
        "Tabel laporan kantor diunduh: throughput (csv)")
    assert event.actor == coordinator
    assert event.details == {"table": "throughput", "format": "csv", "start": "2026-10-01",
                             "end": "2026-11-30", "group": "month"}


def test_it_exports_every_table_as_xlsx_that_opens(history, coordinator_client):
    from verifikasi.reports.report import KEYS

    for key in KEYS:
        response = coordinator_client.get(f"{URL}{key}.xlsx", PERIOD)
        assert response.status_code == 200, key
        assert_private_no_store(response)
        sheet = load_workbook(io.BytesIO(response.content)).active
        values = [[c.value for c in row] for row in sheet.iter_rows()]
        assert values[0][0].endswith(sheet.title[:10]) or values[0][0]
        if key == "turnaround":
            assert values[3][:4] == ["Tahap", "Pendaftaran", "Median", "Persentil ke-90"]
            assert values[4][1:4] == [2, 19.0, 27.8]
    assert AuditEvent.objects.filter(action="report.exported").count() == len(KEYS)


@pytest.mark.parametrize("query,message", [
    ({"start": "2026-11-30", "end": "2026-10-01"}, "sesudah tanggal awal"),
    ({"start": "2020-01-01", "end": "2026-10-01"}, "tiga tahun"),
    ({"start": "kemarin"}, "tanggal"),
    ({"group": "tahun"}, "pilihan"),
])
def test_it_refuses_a_bad_period_clearly(history, coordinator_client, query, message):
    response = coordinator_client.get(URL, query)
    assert response.status_code == 400
    assert message in response.content.decode().lower() or message in response.content.decode()
    assert coordinator_client.get(URL + "throughput.csv", query).status_code == 400
    assert not AuditEvent.objects.filter(action__startswith="report.").exists()


@pytest.mark.parametrize("path", ["tidak-ada.csv", "throughput.pdf", "throughput.xlsx/"])
def test_it_answers_unknown_exports_with_404(coordinator_client, path):
    assert coordinator_client.get(URL + path).status_code == 404


def test_it_shows_the_default_period_without_a_query(history, coordinator_client):
    response = coordinator_client.get(URL)
    assert response.status_code == 200
    assert "CV Fajar" in response.content.decode()


def test_it_speaks_english_when_asked(history, coordinator_client):
    coordinator_client.cookies["django_language"] = "en"
    body = coordinator_client.get(URL, PERIOD).content.decode()
    assert "Office reports" in body and "Counts per period" in body
    assert "Jumlah per periode" not in body
