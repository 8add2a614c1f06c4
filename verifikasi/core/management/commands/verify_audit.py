from django.core.management.base import BaseCommand, CommandError

from verifikasi.core.audit import audit_verify


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; exits non-zero at the first broken link."

    def handle(self, *args, **options):
        report = audit_verify()
        if not report.ok:
            raise CommandError(f"BROKEN: {report.message}")
        self.stdout.write(report.message)
