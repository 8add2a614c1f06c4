"""Demo data for the deadlines (issues 19 and 20): one registration whose deficiency
deadline runs out in two working days, one past the office's service time.

Seed rows, not a walk through the lifecycle: ``seed_demo`` writes them once (idempotent,
keyed on the demo vendors' emails), as the scale seed does for its registrations.
"""

from datetime import datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.utils import timezone

from verifikasi.accounts.models import Role, User
from verifikasi.offices.workdays import WorkCalendar
from verifikasi.registrations.deadlines import office_today
from verifikasi.registrations.models import Registration
from verifikasi.registrations.models import RegistrationStatus as S
from verifikasi.registrations.sla import due_date

COMPANY = {
    "business_form": "cv", "address": "Jl. Gajah Mada No. 12", "province": "Kalimantan Barat",
    "regency": "Kabupaten Ketapang", "postal_code": "78811", "phone": "+6281256781234",
    "has_akta_pendirian": True, "consent_version": "2026-01",
}
DEMO = [
    # email, company, NPWP (16 digits), director, status
    ("lestari@demo.test", "CV Lestari Abadi", "0012345678901000", "Sri Lestari",
     S.REVISION_REQUESTED),
    ("sinar@demo.test", "CV Sinar Kapuas", "0023456789012000", "Hendra Wijaya", S.SUBMITTED),
]


def _working_days_back(calendar: WorkCalendar, today, days: int):
    day = today
    while calendar.working_days_between(day, today) < days:
        day -= timedelta(days=1)
    return day


def demo_deadlines_seed(office) -> list[str]:
    """Create the two demo registrations once; returns a line for each one created."""
    calendar = WorkCalendar(office)
    today = office_today(office)
    created = []
    for email, company, npwp, director, status in DEMO:
        if User.objects.filter(email=email).exists():
            continue
        vendor = User.objects.create_user(email, None, role=Role.VENDOR, full_name=director)
        EmailAddress.objects.create(user=vendor, email=email, verified=True, primary=True)
        fields = {**COMPANY, "company_name": company, "npwp": npwp, "director_name": director,
                  "email": email, "nib": npwp[3:], "status": status, "review_round": 1,
                  "spse_user_id": email.split("@")[0]}
        if status == S.REVISION_REQUESTED:
            # Sent back 13 working days ago: two of the office's working days are left.
            since = _working_days_back(calendar, today, office.revision_deadline_days - 2)
            fields["revision_deadline"] = calendar.add_working_days(
                since, office.revision_deadline_days)
            fields["sla_used_days"] = 2
            note = f"{company}: deficiency deadline {fields['revision_deadline']}"
        else:
            # Submitted eight working days ago and not yet reviewed: past the service time.
            since = _working_days_back(calendar, today, office.sla_working_days + 3)
            fields["sla_running_since"] = since
            fields["sla_due_on"] = due_date(calendar, since, office.sla_working_days)
            note = f"{company}: service time due {fields['sla_due_on']} (overdue)"
        at = timezone.make_aware(datetime.combine(since, time(9)), office.tzinfo)
        registration = Registration.objects.create(
            office=office, vendor=vendor, submitted_at=at, consent_at=at, **fields)
        Registration.objects.filter(pk=registration.pk).update(status_changed_at=at)
        created.append(note)
    return created
