"""Working days: service days, without national holidays, cuti bersama and closures."""

from datetime import date

import pytest

from verifikasi.offices.workdays import WorkCalendar, add_working_days, working_days_between
from verifikasi.scheduling.models import Availability, Closure

# Lebaran 2026 (SKB 3 Menteri): Wed 18 March cuti bersama Nyepi, Thu 19 Nyepi, Fri 20 cuti
# bersama Idul Fitri, Sat–Sun 21–22 Idul Fitri, Mon 23 and Tue 24 cuti bersama.
TUE_17_MARCH = date(2026, 3, 17)


def test_lebaran_and_cuti_bersama_are_not_working_days(office):
    assert add_working_days(office, TUE_17_MARCH, 1) == date(2026, 3, 25)
    assert working_days_between(office, TUE_17_MARCH, date(2026, 3, 25)) == 1
    calendar = WorkCalendar(office)
    assert calendar.closed_reason(date(2026, 3, 23)) == "Cuti Bersama Hari Raya Idul Fitri"
    assert calendar.closed_reason(date(2026, 3, 19)) == "Hari Suci Nyepi"


def test_fifteen_working_days_across_lebaran(office):
    # 16 March (Mon) + 15 working days: 17, 25, 26, 27, 30, 31 March, 1, 2, (3 April is
    # Good Friday) 6, 7, 8, 9, 10, 13, 14 April.
    assert add_working_days(office, date(2026, 3, 16), 15) == date(2026, 4, 14)


def test_an_office_not_observing_cuti_bersama_works_on_those_days(office):
    Availability.objects.create(office=office, observe_cuti_bersama=False)
    assert add_working_days(office, TUE_17_MARCH, 1) == date(2026, 3, 18)
    assert add_working_days(office, TUE_17_MARCH, 2) == date(2026, 3, 20)
    assert add_working_days(office, TUE_17_MARCH, 3) == date(2026, 3, 23)


def test_office_closures_and_service_days_count(office):
    Closure.objects.create(office=office, start_date=date(2026, 12, 8),
                           end_date=date(2026, 12, 9), note="Pelatihan")
    # Mon 7 Dec + 1: Tue 8 and Wed 9 closed → Thu 10.
    assert add_working_days(office, date(2026, 12, 7), 1) == date(2026, 12, 10)
    office.service_days = "123456"  # Saturday service
    assert add_working_days(office, date(2026, 12, 11), 1) == date(2026, 12, 12)


def test_a_friday_to_monday_is_one_working_day_and_a_past_date_counts_negative(office):
    assert working_days_between(office, date(2026, 12, 4), date(2026, 12, 7)) == 1
    assert working_days_between(office, date(2026, 12, 7), date(2026, 12, 4)) == -1
    assert working_days_between(office, date(2026, 12, 7), date(2026, 12, 7)) == 0


@pytest.mark.parametrize("value", ["", "8", "1123", "abc"])
def test_a_bad_service_days_value_is_refused_in_indonesian(office, value):
    from django.core.exceptions import ValidationError
    office.service_days = value
    with pytest.raises(ValidationError) as refused:
        office.full_clean()
    assert "service_days" in refused.value.message_dict
