"""Which times a vendor may choose: working hours, weekends, national holidays (and
cuti bersama), office closures, minimum notice in working days, the booking horizon,
and slots already full."""

from datetime import UTC, date, timedelta

import time_machine
from django.utils import translation

from tests.scheduling.factories import another_accepted, schedule, wib
from verifikasi.scheduling.models import Availability, Closure
from verifikasi.scheduling.selectors import free_slots, slots_by_day
from verifikasi.scheduling.slots import countdown_text, format_slot


def days_of(slots) -> set[date]:
    return {s.start.date() for s in slots}


def test_it_offers_half_hour_slots_in_working_hours_from_the_next_working_day(clock, office):
    slots = free_slots(office)
    assert slots[0].start == wib(2026, 12, 8, 8, 0)  # Tuesday: one working day of notice
    tuesday = [s.start.strftime("%H:%M") for s in slots if s.start.date() == date(2026, 12, 8)]
    assert tuesday == ["08:00", "08:30", "09:00", "09:30", "10:00", "10:30", "11:00", "11:30",
                       "13:00", "13:30", "14:00", "14:30", "15:00"]
    friday = [s.start.strftime("%H:%M") for s in slots if s.start.date() == date(2026, 12, 11)]
    assert friday == ["08:00", "08:30", "09:00", "09:30", "10:00", "10:30",  # Friday prayers
                      "13:30", "14:00", "14:30", "15:00"]
    assert all(s.end - s.start == timedelta(minutes=30) for s in slots)
    assert all(s.start.tzinfo.key == "Asia/Pontianak" for s in slots)
    assert date(2026, 12, 7) not in days_of(slots)  # today: inside the notice


def test_it_skips_weekends(clock, office):
    days = days_of(free_slots(office))
    assert date(2026, 12, 12) not in days and date(2026, 12, 13) not in days
    assert date(2026, 12, 14) in days


def test_it_skips_christmas_and_its_cuti_bersama(clock, office):
    days = days_of(free_slots(office))
    assert date(2026, 12, 23) in days
    assert date(2026, 12, 24) not in days  # Cuti Bersama Hari Raya Natal
    assert date(2026, 12, 25) not in days  # Hari Raya Natal
    assert date(2026, 12, 28) in days
    assert date(2027, 1, 1) not in days  # Tahun Baru Masehi


def test_it_opens_cuti_bersama_when_the_office_works_on_them(clock, office):
    Availability.objects.create(office=office, observe_cuti_bersama=False)
    days = days_of(free_slots(office))
    assert date(2026, 12, 24) in days
    assert date(2026, 12, 25) not in days  # the public holiday stays closed


def test_it_skips_an_office_closure(clock, office):
    Closure.objects.create(office=office, start_date=date(2026, 12, 29),
                           end_date=date(2026, 12, 30), note="Rapat kerja akhir tahun")
    days = days_of(free_slots(office))
    assert date(2026, 12, 28) in days
    assert date(2026, 12, 29) not in days and date(2026, 12, 30) not in days
    assert date(2026, 12, 31) in days


def test_it_ignores_another_offices_closure(clock, office, other_office):
    Closure.objects.create(office=other_office, start_date=date(2026, 12, 8),
                           end_date=date(2026, 12, 8), note="Sambas tutup")
    assert date(2026, 12, 8) in days_of(free_slots(office))


def test_it_counts_notice_in_working_days_across_the_weekend(db, office):
    with time_machine.travel(wib(2026, 12, 11, 10, 0), tick=False):  # Friday
        assert free_slots(office)[0].start == wib(2026, 12, 14, 8, 0)  # Monday


def test_it_counts_notice_across_a_holiday(db, office):
    with time_machine.travel(wib(2026, 12, 23, 10, 0), tick=False):  # Wed before Christmas
        assert free_slots(office)[0].start == wib(2026, 12, 28, 8, 0)


def test_it_counts_notice_around_idul_fitri_2027(db, office):
    # Idul Fitri (perkiraan) Wed 10 and Thu 11 March 2027, with cuti bersama on
    # Fri 12 and Mon 15: the next working day after Mon 8 (Nyepi) is Tue 16.
    with time_machine.travel(wib(2027, 3, 5, 10, 0), tick=False):  # Friday
        days = days_of(free_slots(office))
    for closed in (8, 9, 10, 11, 12, 15):
        assert date(2027, 3, closed) not in days
    assert min(days) == date(2027, 3, 16)


def test_two_working_days_notice(clock, office):
    Availability.objects.create(office=office, min_notice_working_days=2)
    assert free_slots(office)[0].start == wib(2026, 12, 9, 8, 0)


def test_no_notice_allows_later_today(clock, office):
    Availability.objects.create(office=office, min_notice_working_days=0)
    slots = free_slots(office)
    assert slots[0].start == wib(2026, 12, 7, 9, 30)  # after 09:00 now, on the grid


def test_it_stops_at_the_horizon(clock, office):
    days = days_of(free_slots(office))
    assert max(days) == date(2027, 1, 6)  # today + 30 days (a Wednesday)
    Availability.objects.create(office=office, horizon_days=7)
    assert max(days_of(free_slots(office))) == date(2026, 12, 14)


def test_it_follows_the_slot_length_and_hours_set_by_the_coordinator(clock, office):
    hours = [[["09:00", "11:00"]]] * 5 + [[], []]
    Availability.objects.create(office=office, slot_minutes=45, hours=hours)
    tuesday = [s.start.strftime("%H:%M") for s in free_slots(office)
               if s.start.date() == date(2026, 12, 8)]
    assert tuesday == ["09:00", "09:45"]  # 10:30 + 45 min would pass 11:00


def test_a_full_slot_is_not_offered_and_capacity_leaves_seats(clock, office, verifier):
    start = wib(2026, 12, 8, 8, 0)
    schedule(another_accepted(office), start, verifier)
    assert start not in [s.start for s in free_slots(office)]

    Availability.objects.filter(office=office).delete()
    Availability.objects.create(office=office, capacity=2)
    [slot] = [s for s in free_slots(office) if s.start == start]
    assert slot.free == 1


def test_it_groups_slots_by_day_with_indonesian_day_names(clock, office):
    with translation.override("id"):
        days = slots_by_day(free_slots(office))
    assert days[0].label == "Selasa, 8 Desember 2026"
    assert days[0].open and not days[1].open


def test_it_formats_times_in_the_office_zone_with_its_label(office):
    start = wib(2026, 12, 8, 9, 0)
    with translation.override("id"):
        text = format_slot(start.astimezone(UTC), start + timedelta(minutes=30),
                           office.tzinfo, office.timezone_label)
    assert text == "Selasa, 8 Desember 2026, 09.00–09.30 WIB"


def test_the_countdown_reads_like_a_person_would_say_it():
    start = wib(2026, 12, 10, 13, 0)
    with translation.override("id"):
        assert countdown_text(start, None, start - timedelta(days=3, hours=4)) \
            == "3 hari 4 jam lagi"
        assert countdown_text(start, None, start - timedelta(days=1)) == "1 hari lagi"
        assert countdown_text(start, None, start - timedelta(hours=2, minutes=5)) \
            == "2 jam 5 menit lagi"
        assert countdown_text(start, None, start - timedelta(minutes=12)) == "12 menit lagi"
        assert countdown_text(start, start + timedelta(minutes=30),
                              start + timedelta(minutes=5)) == "sedang berlangsung"
