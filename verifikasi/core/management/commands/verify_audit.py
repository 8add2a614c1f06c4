from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from verifikasi.core.anchors import anchor_parse, audit_check_anchor
from verifikasi.core.audit import audit_verify


class Command(BaseCommand):
    help = (
        "Verify the audit log's keyed hash chain; exits non-zero at the first broken link. "
        "With --anchor, also check it against daily anchors (a file of them, e.g. "
        "AUDIT_ANCHOR_FILE, or one anchor line copied from the daily email)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor", metavar="FILE_OR_VALUE",
            help="an anchor file (every anchor in it is checked) or one anchor "
                 "('count=N head=HASH', as in the daily email)")

    def handle(self, *args, anchor=None, **options):
        if anchor is None:
            report = audit_verify()
            if not report.ok:
                raise CommandError(f"BROKEN: {report.message}")
            self.stdout.write(report.message)
            return
        path = Path(anchor)
        text = path.read_text(encoding="utf-8") if path.is_file() else anchor
        anchors = anchor_parse(text)
        if not anchors:
            raise CommandError(
                f"no anchor found in {anchor!r}: expected a file of anchor lines or "
                "'count=N head=<64 hex digits>'")
        for one in anchors:
            report = audit_check_anchor(one)
            if not report.ok:
                raise CommandError(f"BROKEN: {report.message}")
        self.stdout.write(f"{report.message}" if len(anchors) == 1 else
                          f"OK: {report.checked} events, chain intact; "
                          f"all {len(anchors)} anchors hold")
