from functools import partial
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from verifikasi.core.audit import RechainRefused, audit_log, audit_rechain, compute_hash


class Command(BaseCommand):
    help = (
        "Re-link the audit chain with the current AUDIT_HMAC_KEY after proving it intact "
        "under the old key (replacing a leaked key). Anchors taken before no longer match "
        "the new links: take note of the last one, and keep it with the old key."
    )

    def add_arguments(self, parser):
        parser.add_argument("--old-key-file", required=True,
                            help="file holding the AUDIT_HMAC_KEY the chain was written with")

    def handle(self, *args, old_key_file, **options):
        try:
            old_key = Path(old_key_file).read_text(encoding="utf-8").strip()
        except OSError as e:
            raise CommandError(f"cannot read {old_key_file}: {e}") from None
        try:
            count = audit_rechain(old_hash_fn=partial(compute_hash, key=old_key))
        except RechainRefused as e:
            raise CommandError(f"REFUSED, the chain does not verify under the old key: {e}") \
                from None
        audit_log(action="audit.rechained", details={"events": count})
        self.stdout.write(f"OK: {count} events re-linked with the current AUDIT_HMAC_KEY")
