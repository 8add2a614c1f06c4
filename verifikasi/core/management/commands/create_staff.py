from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from verifikasi.accounts.models import STAFF_ROLES
from verifikasi.core.staff import staff_create
from verifikasi.offices.models import Office


class Command(BaseCommand):
    help = "Create a staff account (verifier, coordinator or admin) for an office."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--role", required=True, choices=list(STAFF_ROLES))
        parser.add_argument("--office", required=True, help="office code, e.g. ketapang")
        parser.add_argument("--name", default="")
        parser.add_argument("--password", help="omit to generate one")

    def handle(self, *args, **opts):
        office = Office.objects.filter(code=opts["office"]).first()
        if office is None:
            raise CommandError(f"no office with code {opts['office']!r}")
        try:
            user, password = staff_create(
                email=opts["email"], role=opts["role"], office=office,
                full_name=opts["name"], password=opts["password"],
            )
        except ValidationError as e:
            raise CommandError("; ".join(e.messages)) from e
        self.stdout.write(f"created {user.role} {user.email} in {office.code}")
        if not opts["password"]:
            self.stdout.write(f"password: {password}")
        self.stdout.write("They must set up two-factor authentication (TOTP) at first login.")
