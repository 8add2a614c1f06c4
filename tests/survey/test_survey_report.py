"""The SKM report: office head and admin only, own office only, XLSX in the submitted layout."""

import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.conftest import assert_private_no_store, login, make_user
from tests.survey.conftest import EXAMPLE, answers
from verifikasi.accounts.models import Role
from verifikasi.core.models import AuditEvent
from verifikasi.survey.models import SurveyResponse

MONTH = datetime.date(2026, 8, 1)  # Semester II 2026


@pytest.fixture
def example(office):
    for n, row in enumerate(EXAMPLE):
        SurveyResponse.objects.create(office=office, month=MONTH, suggestion=f"Saran {n}",
                                      **answers(row))


@pytest.fixture
def elsewhere(other_office):
    SurveyResponse.objects.create(office=other_office, month=MONTH, suggestion="Rahasia Sambas",
                                  **answers([1] * 9))


def test_the_head_sees_the_period_nrr_ikm_and_category(coordinator_client, example, elsewhere):
    response = coordinator_client.get(reverse("survey_report"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Semester II 2026" in page
    assert "84,03" in page
    assert "B (Baik)" in page
    assert "3,250" in page  # NRR of U3
    assert "Saran 2" in page
    assert "Rahasia Sambas" not in page  # another office's answers never show
    assert_private_no_store(response)
    assert AuditEvent.objects.filter(action="survey.report_viewed").exists()


def test_the_office_admin_sees_it_too(admin_client, example):
    assert admin_client.get(reverse("survey_report")).status_code == 200


@pytest.mark.parametrize("name", ["survey_report", "survey_report_xlsx"])
def test_a_verifier_and_a_vendor_are_refused(client, verifier, vendor, name, example):
    assert login(client, verifier).get(reverse(name)).status_code == 403
    assert login(client, vendor).get(reverse(name)).status_code == 403


def test_another_offices_head_sees_only_their_own(client, other_office, example):
    head = make_user("ketua@sambas.test", Role.COORDINATOR, other_office, totp=True)
    page = login(client, head).get(reverse("survey_report")).content.decode()
    assert "Semester II 2026" not in page
    assert "Belum ada penilaian" in page


def test_the_xlsx_opens_and_follows_the_processing_table(coordinator_client, example):
    response = coordinator_client.get(reverse("survey_report_xlsx") + "?periode=2026-2")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="skm-ketapang-2026-2.xlsx"'
    assert_private_no_store(response)
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    ws = wb["Pengolahan Data"]
    rows = [[c for c in row if c is not None] for row in ws.iter_rows(values_only=True)]
    header = rows.index(["No. Responden", *[f"U{i}" for i in range(1, 10)]])
    # One row per respondent, numbered; the order is not the order of answering.
    body = rows[header + 1:header + 5]
    assert [r[0] for r in body] == [1, 2, 3, 4]
    assert sorted(tuple(r[1:]) for r in body) == sorted(EXAMPLE)
    labels = {row[0]: row[1:] for row in rows[header + 5:] if row}
    assert labels["Σ Nilai per unsur"] == [14, 12, 13, 16, 12, 14, 16, 12, 12]
    assert labels["NRR per unsur"] == [3.5, 3, 3.25, 4, 3, 3.5, 4, 3, 3]
    assert labels["NRR tertimbang per unsur"][0] == 0.389
    assert labels["IKM unit pelayanan (Σ NRR tertimbang)"] == [3.361]
    assert labels["IKM × 25 (nilai konversi)"] == [84.03]
    assert labels["Mutu pelayanan"] == ["B (Baik)"]
    assert sorted(r[0] for r in wb["Saran"].iter_rows(min_row=2, values_only=True)) == [
        "Saran 0", "Saran 1", "Saran 2", "Saran 3"]
    assert AuditEvent.objects.filter(action="survey.report_exported").exists()


@pytest.mark.parametrize("period", ["", "2026", "2026-3", "abc-1", "1999-1", "9" * 500])
def test_a_strange_period_falls_back_to_the_latest(coordinator_client, example, period):
    response = coordinator_client.get(reverse("survey_report"), {"periode": period})
    assert response.status_code == 200
    assert "Semester II 2026" in response.content.decode()


def test_an_empty_period_exports_an_empty_table_and_no_answers_redirects(
        coordinator_client, example):
    response = coordinator_client.get(reverse("survey_report_xlsx") + "?periode=2025-1")
    assert response.status_code == 200
    SurveyResponse.objects.all().delete()
    response = coordinator_client.get(reverse("survey_report_xlsx"))
    assert response.status_code == 302


def test_the_public_summary_shows_the_ikm_and_no_free_text(client, example):
    response = client.get(reverse("survey_public"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Semester II 2026" in page
    assert "84,03" in page
    assert "Saran" not in page.replace("Saran dan masukan", "")


def test_the_demo_seed_gives_the_report_a_year_of_answers(settings, coordinator_client, office):
    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())  # idempotent: no second year
    n = SurveyResponse.objects.filter(office=office).count()
    assert 48 <= n <= 144
    page = coordinator_client.get(reverse("survey_report")).content.decode()
    assert "Semester" in page and "Unduh XLSX" in page
