"""B.8.c: the coordinator sets the team's availability on a staff page: working hours,
slot length, calls at once, notice, horizon, vendor limits, and closed dates."""

from datetime import date

import pytest
from django.urls import reverse

from tests.conftest import login, make_user
from tests.scheduling.factories import schedule, wib
from verifikasi.accounts.models import Role
from verifikasi.core.models import AuditEvent
from verifikasi.scheduling.models import Availability, Closure
from verifikasi.scheduling.selectors import availability_for, free_slots

URL = reverse("schedule_availability")


def form_data(**overrides):
    data = {
        "hours_0": "08:00-12:00, 13:00-15:30", "hours_1": "08:00-12:00, 13:00-15:30",
        "hours_2": "08:00-12:00, 13:00-15:30", "hours_3": "08:00-12:00, 13:00-15:30",
        "hours_4": "08:00-11:00, 13:30-15:30", "hours_5": "", "hours_6": "",
        "slot_minutes": "30", "capacity": "1", "min_notice_working_days": "1",
        "horizon_days": "30", "vendor_reschedule_cutoff_hours": "24",
        "vendor_reschedule_limit": "2", "observe_cuti_bersama": "on",
    }
    data.update(overrides)
    return data


def test_the_page_shows_the_defaults_and_the_holidays_ahead(coordinator_client, clock):
    response = coordinator_client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="08:00-12:00, 13:00-15:30"' in page
    assert "Hari Raya Natal" in page
    assert "Cuti Bersama Hari Raya Natal" in page


def test_the_coordinator_changes_hours_length_and_capacity(coordinator_client, coordinator,
                                                           office, clock):
    response = coordinator_client.post(URL, form_data(
        hours_0="8.00–11.00", hours_5="08:00-10:00", slot_minutes="45", capacity="3"))
    assert response.status_code == 302
    availability = Availability.objects.get(office=office)
    assert availability.hours[0] == [["08:00", "11:00"]]
    assert availability.hours[5] == [["08:00", "10:00"]]
    assert (availability.slot_minutes, availability.capacity) == (45, 3)
    assert availability.updated_by == coordinator
    event = AuditEvent.objects.get(action="scheduling.availability_updated")
    assert event.details["changed"]["capacity"] == 3
    saturday = [s for s in free_slots(office) if s.start.date() == date(2026, 12, 12)]
    assert [s.start.strftime("%H:%M") for s in saturday] == ["08:00", "08:45"]
    assert saturday[0].free == 3


@pytest.mark.parametrize("field, value, message", [
    ("hours_0", "12:00-08:00", "jam mulai harus sebelum jam selesai"),
    ("hours_0", "08:00-12:00, 11:00-13:00", "tumpang tindih"),
    ("hours_1", "pagi", "Tulis rentang jam seperti 08:00-12:00."),
    ("hours_2", "08:00-25:00", "bukan jam yang valid"),
    ("capacity", "0", "lebih besar dari atau sama dengan 1"),
    ("slot_minutes", "5", "lebih besar dari atau sama dengan 10"),
])
def test_it_explains_a_bad_value(coordinator_client, office, clock, field, value, message):
    response = coordinator_client.post(URL, form_data(**{field: value}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Availability.objects.filter(office=office).exists()


def test_a_verifier_sees_it_but_cannot_change_it(verifier_client, office, clock):
    page = verifier_client.get(URL)
    assert page.status_code == 200
    assert "Hanya Ketua Tim Verifikator" in page.content.decode()
    assert verifier_client.post(URL, form_data(capacity="5")).status_code == 403
    assert availability_for(office).capacity == 1


def test_vendors_are_refused(vendor_client, clock):
    assert vendor_client.get(URL).status_code == 403


def test_each_office_has_its_own(client, office, other_office, clock):
    sambas = make_user("ketua@sambas.test", Role.COORDINATOR, other_office, totp=True)
    login(client, sambas)
    client.post(URL, form_data(capacity="4"))
    assert availability_for(other_office).capacity == 4
    assert availability_for(office).capacity == 1


def test_the_coordinator_closes_dates_and_is_warned_of_calls_on_them(
        coordinator_client, coordinator, office, registration_documents_accepted, verifier):
    schedule(registration_documents_accepted, wib(2026, 12, 10, 13, 0), verifier)
    response = coordinator_client.post(reverse("schedule_closure_add"), {
        "start_date": "2026-12-10", "end_date": "2026-12-11", "note": "Rapat kerja"},
        follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "jadwalkan ulang: CV Maju Jaya" in page
    closure = Closure.objects.get(office=office)
    assert (closure.start_date, closure.end_date) == (date(2026, 12, 10), date(2026, 12, 11))
    assert AuditEvent.objects.filter(action="scheduling.closure_added").exists()
    assert date(2026, 12, 11) not in {s.start.date() for s in free_slots(office)}

    response = coordinator_client.post(
        reverse("schedule_closure_delete", args=[closure.code]))
    assert response.status_code == 302
    assert not Closure.objects.exists()
    assert AuditEvent.objects.filter(action="scheduling.closure_removed").exists()


def test_a_one_day_closure_needs_only_its_date(coordinator_client, office, clock):
    coordinator_client.post(reverse("schedule_closure_add"),
                            {"start_date": "2026-12-15", "note": "Pelatihan"})
    closure = Closure.objects.get(office=office)
    assert closure.end_date == date(2026, 12, 15)


def test_a_closure_needs_a_note_and_ordered_dates(coordinator_client, office, clock):
    response = coordinator_client.post(reverse("schedule_closure_add"), {
        "start_date": "2026-12-15", "end_date": "2026-12-14", "note": ""})
    assert response.status_code == 400
    assert not Closure.objects.exists()


def test_a_verifier_cannot_add_or_remove_closures(verifier_client, office, clock):
    closure = Closure.objects.create(office=office, start_date=date(2026, 12, 15),
                                     end_date=date(2026, 12, 15), note="Pelatihan")
    assert verifier_client.post(reverse("schedule_closure_add"), {
        "start_date": "2026-12-16", "note": "x"}).status_code == 403
    assert verifier_client.post(
        reverse("schedule_closure_delete", args=[closure.code])).status_code == 403
    assert Closure.objects.count() == 1


def test_another_offices_closure_is_404(client, office, other_office, clock):
    closure = Closure.objects.create(office=office, start_date=date(2026, 12, 15),
                                     end_date=date(2026, 12, 15), note="Pelatihan")
    login(client, make_user("ketua@sambas.test", Role.COORDINATOR, other_office, totp=True))
    assert client.post(
        reverse("schedule_closure_delete", args=[closure.code])).status_code == 404


def test_closure_urls_are_post_only(coordinator_client, clock):
    assert coordinator_client.get(reverse("schedule_closure_add")).status_code == 405
