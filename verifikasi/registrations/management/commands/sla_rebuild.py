"""Recompute the service-time clocks' due dates (after holidays, closures or the office's
service time changed, or once after upgrading to a version with the clock)."""

from django.core.management.base import BaseCommand, CommandError

from verifikasi.offices.models import Office
from verifikasi.registrations.sla import sla_rebuild


class Command(BaseCommand):
    help = "Recompute the due dates of the service-time (SLA) clocks."

    def add_arguments(self, parser):
        parser.add_argument("--office", help="only this office (its code)")

    def handle(self, *args, office=None, **options):
        chosen = None
        if office:
            chosen = Office.objects.filter(code=office).first()
            if chosen is None:
                raise CommandError(f"no office with the code {office!r}")
        changed = sla_rebuild(office=chosen)
        if options["verbosity"]:
            self.stdout.write(f"{changed} clock(s) updated")
