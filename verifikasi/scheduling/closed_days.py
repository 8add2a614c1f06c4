"""The office's closed days for working-day counting (offices.workdays).

Registered into the offices layer from ``SchedulingConfig.ready``: national holidays
(with cuti bersama when the office observes it, as for calls) and the office's
closures. Deadlines and the service-time clock then skip the same days the
calendar of calls does.
"""

from datetime import date, timedelta

from verifikasi.offices.workdays import closed_days_provider

from .models import Availability, Closure
from .slots import holidays_between


@closed_days_provider
def office_closed_days(office, first: date, last: date) -> dict[date, str]:
    availability = Availability.objects.filter(office=office).first() or Availability()
    closed = holidays_between(first, last, cuti_bersama=availability.observe_cuti_bersama)
    for closure in Closure.objects.filter(office=office, start_date__lte=last,
                                          end_date__gte=first):
        day = max(closure.start_date, first)
        while day <= min(closure.end_date, last):
            closed.setdefault(day, closure.note)
            day += timedelta(days=1)
    return closed
