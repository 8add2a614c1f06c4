"""The audit chain becomes keyed (HMAC with AUDIT_HMAC_KEY), and daily anchors are recorded.

Events written before this release are linked with plain SHA-256. They are
re-linked with the key here, but only if the old chain verifies: a chain that
is already broken is left as it is (``verify_audit`` then reports where), so an
upgrade never re-blesses tampered history. docs/operations.md: "Upgrading an
existing audit log".
"""

from django.db import migrations, models


def rechain_with_key(apps, schema_editor):
    from verifikasi.core.audit import RechainRefused, audit_rechain, legacy_hash

    db = schema_editor.connection.alias
    events = apps.get_model("core", "AuditEvent").objects.using(db)
    head = apps.get_model("core", "AuditChainHead").objects.using(db)
    if not events.exists():
        return
    try:
        count = audit_rechain(old_hash_fn=legacy_hash, events=events, head=head)
    except RechainRefused as e:
        print(f"\n  audit log NOT re-linked with AUDIT_HMAC_KEY, its old chain is broken: {e}."
              "\n  Investigate with `manage.py verify_audit`; see docs/operations.md.")
        return
    print(f"\n  audit log: {count} events re-linked with AUDIT_HMAC_KEY")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_chain_head")]
    operations = [
        migrations.CreateModel(
            name="AuditAnchor",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                           serialize=False, verbose_name="ID")),
                ("day", models.DateField(unique=True)),
                ("seq", models.PositiveBigIntegerField()),
                ("hash", models.CharField(max_length=64)),
                ("created_at", models.DateTimeField()),
            ],
        ),
        migrations.RunPython(rechain_with_key, migrations.RunPython.noop),
    ]
