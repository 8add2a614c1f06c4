from allauth.account.models import EmailAddress
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from verifikasi.accounts.models import Role, User
from verifikasi.front.demo_deadlines import demo_deadlines_seed
from verifikasi.meetings.models import MeetingSettings, Provider
from verifikasi.offices.selectors import office_default
from verifikasi.registrations.demo_duplicates import demo_duplicates_seed
from verifikasi.reports.demo import demo_history
from verifikasi.scheduling.selectors import free_slots
from verifikasi.scheduling.services import appointment_propose
from verifikasi.survey.demo import survey_demo_history
from verifikasi.whatsapp.models import WhatsAppContact

DEMO_USERS = [
    # email, password, role, name
    ("vendor@demo.test", "demo-vendor-2026", Role.VENDOR, "Budi Santoso (CV Maju Jaya)"),
    ("verifikator@demo.test", "demo-verifikator-2026", Role.VERIFIER, "Rina Verifikator"),
    ("ketua@demo.test", "demo-ketua-2026", Role.COORDINATOR, "Agus Ketua Tim"),
    ("admin@demo.test", "demo-admin-2026", Role.ADMIN, "Admin LPSE"),
]


def _propose_first_free(registration) -> None:
    slot = free_slots(registration.office)[0]
    appointment_propose(registration=registration, actor=registration.vendor,
                        starts=[slot.start])


class Command(BaseCommand):
    help = "Demo mode only: create the demo users (idempotent) and print their logins."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("seed_demo runs only with DEMO_MODE=1")
        office = office_default()
        # The demo's calls use Jitsi rooms: no account needed (offices pick Zoom in admin).
        MeetingSettings.objects.get_or_create(office=office,
                                              defaults={"provider": Provider.JITSI})
        lines = []
        with transaction.atomic():
            for email, password, role, name in DEMO_USERS:
                user = User.objects.filter(email=email).first()
                if user is None:
                    staff = role != Role.VENDOR
                    user = User.objects.create_user(
                        email, password, role=role, full_name=name,
                        office=office if staff else None,
                        # The office admin uses /admin for their office only: not a
                        # superuser (docs/roles.md; the operator is made by createsuperuser).
                        is_staff=role == Role.ADMIN,
                    )
                    EmailAddress.objects.create(user=user, email=email, verified=True,
                                                primary=True)
                    if staff:
                        TOTP.activate(user, generate_totp_secret())
                elif user.is_superuser:
                    # Demos seeded before docs/roles.md made their admin a superuser.
                    User.objects.filter(pk=user.pk).update(is_superuser=False)
                secret = ""
                auth = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
                if auth is not None:
                    secret = get_mfa_adapter().decrypt(auth.data["secret"])
                lines.append((user.get_role_display(), email, password, secret))
                if role == Role.VENDOR:
                    # Opted in to WhatsApp; nothing goes out while the office has not
                    # configured it (Admin → Pengaturan WhatsApp).
                    WhatsAppContact.objects.get_or_create(
                        user=user, defaults={"phone": "+6281234567890", "opted_in": True,
                                             "opted_in_at": timezone.now()})
            survey_demo_history(office)  # a year of anonymous SKM answers for the report
            deadlines = demo_deadlines_seed(office)
        # Months of past registrations, so the office head's reports show something real.
        written = demo_history(office=office)
        if written:
            self.stdout.write(f"Demo history: {written} past registrations for the reports.")
        # Two companies sharing an NPWP under different names: the review screen's
        # duplicate card (issue 20).
        verifier = User.objects.get(email="verifikator@demo.test")
        if demo_duplicates_seed(office=office, verifier=verifier, propose=_propose_first_free):
            self.stdout.write("Demo: CV Sinar Abadi Jaya waits in the queue; its NPWP was "
                              "used before by CV Sinar Abadi (rejected).")
        self.stdout.write(f"\nDemo logins (office: {office.name})")
        for role, email, password, secret in lines:
            extra = f"   TOTP secret: {secret}" if secret else ""
            self.stdout.write(f"  {role:<22} {email:<24} {password}{extra}")
        for line in deadlines:
            self.stdout.write(f"  Demo registration: {line}")
        self.stdout.write(
            "\nStaff log in with a 6-digit code from an authenticator app using the TOTP secret,"
            "\nor print the current code with:  .venv/bin/python manage.py demo_totp <email>"
            "\nDemo emails are not sent: staff read them under 'Kotak keluar'.\n"
        )
