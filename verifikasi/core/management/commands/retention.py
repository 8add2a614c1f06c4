from django.core.management.base import BaseCommand

from verifikasi.core.retention_policy import retention_apply, retention_table_markdown


class Command(BaseCommand):
    help = ("Print the retention table (docs/operations.md shows the same), or with --apply "
            "run the retention job now, as the worker does once a day.")

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true",
                            help="destroy what is past its period now, and log it")

    def handle(self, *args, apply=False, **options):
        if not apply:
            self.stdout.write(retention_table_markdown())
            return
        for key, count in retention_apply().items():
            self.stdout.write(f"{key}: {count}")
