"""The breach register: who may see it, what is recorded, the 3×24-hour clock, the export."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import assert_private_no_store, login
from tests.incidents.conftest import FACTS
from verifikasi.core.models import AuditEvent
from verifikasi.incidents.clock import incident_clock
from verifikasi.incidents.models import Incident
from verifikasi.incidents.services import incident_record

FORM_URLS = ["incident_edit", "incident_notice_people", "incident_notice_authority"]
INCIDENT_URLS = ["incident_detail", *FORM_URLS]


def _form(**changes):
    now = timezone.localtime()
    data = {"title": FACTS["title"], "affected_data": FACTS["affected_data"],
            "affected_count": "12", "description": FACTS["description"],
            "measures": FACTS["measures"],
            "occurred_at": (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "discovered_at": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")}
    data.update(changes)
    return data


def test_the_office_head_records_an_incident_and_it_is_audited(coordinator_client, office):
    response = coordinator_client.post(reverse("incident_new"), _form())

    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("incident_detail", args=[incident.code])
    assert incident.office == office and incident.affected_data == ["identity", "documents"]
    event = AuditEvent.objects.get(action="incident.recorded")
    assert event.object_id == str(incident.code) and event.details["affected_count"] == 12
    page = coordinator_client.get(response["Location"])
    assert FACTS["title"] in page.content.decode()
    assert_private_no_store(page)
    assert AuditEvent.objects.filter(action="incident.viewed", object_id=str(incident.code))


def test_the_office_admin_may_use_the_register_too(client, admin_user, incident):
    login(client, admin_user)
    assert client.get(reverse("incident_detail", args=[incident.code])).status_code == 200
    assert client.get(reverse("incident_list")).status_code == 200


@pytest.mark.parametrize("who", ["verifier_client", "vendor_client"])
def test_verifiers_and_vendors_are_refused(request, who, incident):
    client = request.getfixturevalue(who)
    for url in [reverse("incident_list"), reverse("incident_new"), reverse("incident_export"),
                reverse("incident_detail", args=[incident.code])]:
        assert client.get(url).status_code == 403


def test_an_incident_of_another_office_is_not_there(coordinator_client, other_incident):
    for name in INCIDENT_URLS:
        url = reverse(name, args=[other_incident.code])
        assert coordinator_client.get(url).status_code == 404
        if name in FORM_URLS:
            assert coordinator_client.post(url, _form()).status_code == 404
    for fmt in ("pdf", "txt"):
        url = reverse("incident_notice_authority_download", args=[other_incident.code, fmt])
        assert coordinator_client.get(url).status_code == 404
    sent = reverse("incident_notice_authority_sent", args=[other_incident.code])
    assert coordinator_client.post(sent, {"sent_on": "2026-01-01"}).status_code == 404
    assert "Insiden Sambas" not in coordinator_client.get(reverse("incident_list")).content.decode()
    other_incident.refresh_from_db()
    assert other_incident.authority_sent_on is None


def test_the_platform_operator_sees_every_office(client, operator, incident, other_incident):
    login(client, operator)
    page = client.get(reverse("incident_list")).content.decode()
    assert "Insiden Sambas" in page and FACTS["title"] in page
    assert client.get(reverse("incident_detail", args=[other_incident.code])).status_code == 200


@pytest.mark.parametrize(("changes", "message"), [
    ({"discovered_at": "2999-01-01T10:00"}, "Waktu diketahui tidak boleh di masa depan."),
    ({"occurred_at": timezone.now().strftime("%Y-%m-%dT23:59"),
      "discovered_at": timezone.now().strftime("%Y-%m-%dT00:00")},
     "Waktu kejadian tidak boleh sesudah waktu diketahui."),
    ({"affected_data": ["bocor"]}, "bocor"),
    ({"affected_count": "-4"}, "Pastikan nilai ini lebih besar dari atau sama dengan 0."),
    ({"title": "Dua\nbaris"}, "satu baris"),
    ({"occurred_at": "kemarin"}, "Masukkan tanggal/waktu yang valid."),
])
def test_bad_input_gets_an_indonesian_message_and_records_nothing(
        coordinator_client, changes, message):
    response = coordinator_client.post(reverse("incident_new"), _form(**changes))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Incident.objects.exists()


def test_an_edit_changes_the_facts_and_audits_which(coordinator_client, incident):
    url = reverse("incident_edit", args=[incident.code])
    response = coordinator_client.post(url, _form(affected_count="40", title=incident.title))

    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.affected_count == 40
    event = AuditEvent.objects.get(action="incident.updated")
    assert "affected_count" in event.details["changed"]


def test_the_clock_runs_three_times_24_hours_from_becoming_known(incident):
    known = incident.discovered_at
    assert incident_clock(incident).deadline == known + timedelta(hours=72)

    early = incident_clock(incident, now=known + timedelta(hours=70))
    assert not early.overdue and early.text == "sisa 2 jam 0 menit"
    late = incident_clock(incident, now=known + timedelta(hours=73, minutes=30))
    assert late.overdue and late.text == "terlambat 1 jam 30 menit"

    incident.people_sent_at = known + timedelta(hours=5)
    incident.authority_sent_on = timezone.localdate(known + timedelta(hours=5))
    done = incident_clock(incident, now=known + timedelta(days=10))
    assert done.done and not done.overdue


def test_the_register_highlights_an_overdue_incident(coordinator_client, office, coordinator):
    from tests.incidents.conftest import facts

    now = timezone.now()
    incident_record(office=office, actor=coordinator, data=facts(
        title="Terlambat", occurred_at=now - timedelta(days=5),
        discovered_at=now - timedelta(days=4)))

    page = coordinator_client.get(reverse("incident_list")).content.decode()

    assert 'class="badge bad">terlambat 24 jam' in page


def test_the_register_exports_as_csv_of_the_own_office_only(
        coordinator_client, coordinator, office, other_incident):
    from tests.incidents.conftest import facts

    incident_record(office=office, actor=coordinator,
                    data=facts(title="=HYPERLINK(\"http://x\")"))

    response = coordinator_client.get(reverse("incident_export"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert_private_no_store(response)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][2] == "Judul" and len(rows) == 2
    assert rows[1][2] == "'=HYPERLINK(\"http://x\")"  # never a formula in a spreadsheet
    assert rows[1][7] == "12"
    assert AuditEvent.objects.filter(action="incident.register_exported").exists()


def test_garbage_never_makes_a_500_nor_a_change(coordinator_client, incident):
    garbage = {"title": "x" * 9000, "occurred_at": "2026-13-45T99:99", "affected_data": "?",
               "affected_count": "1e9", "sent_on": "kemarin", "audiences": ["x"],
               "extra": "bukan email", "send": "1", "confirm": "ya", "body": "",
               "authority_name": "\x00"}
    before = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    for name in [*FORM_URLS, "incident_notice_authority_sent"]:
        url = reverse(name, args=[incident.code])
        assert coordinator_client.post(url, garbage).status_code == 400
    for name in ["incident_new", "incident_list", "incident_export"]:
        assert coordinator_client.get(reverse(name), garbage).status_code < 500
    assert coordinator_client.post(reverse("incident_new"), garbage).status_code == 400
    bad_format = reverse("incident_notice_authority_download", args=[incident.code, "exe"])
    assert coordinator_client.get(bad_format).status_code == 404
    assert not AuditEvent.objects.filter(seq__gt=before).exclude(
        action="incident.register_exported").exists()
    assert Incident.objects.get().people_sent_at is None


def test_times_are_typed_in_the_offices_time_zone(coordinator_client, office):
    office.timezone, office.timezone_label = "Asia/Makassar", "WITA"
    office.save()
    day = (timezone.now() - timedelta(days=2)).date()

    coordinator_client.post(reverse("incident_new"), _form(
        occurred_at=f"{day:%Y-%m-%d}T08:00", discovered_at=f"{day:%Y-%m-%d}T10:00"))

    incident = Incident.objects.get()
    assert timezone.localtime(incident.discovered_at, office.tzinfo).hour == 10
    assert incident.discovered_at.astimezone(timezone.UTC).hour == 2
