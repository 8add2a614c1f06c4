from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One entry of the append-only, hash-chained audit log (jejak audit).

    Written only by ``verifikasi.core.audit.audit_log``; ``hash`` covers every
    field and the previous entry's hash, so an edited, deleted or inserted row
    breaks the chain that ``manage.py verify_audit`` checks.
    """

    seq = models.PositiveBigIntegerField(unique=True)
    created_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_email = models.CharField(max_length=254, blank=True)
    actor_role = models.CharField(max_length=20, blank=True)
    # No index of its own: audit_office_action_at begins with the office.
    office = models.ForeignKey(
        "offices.Office", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        db_index=False,
    )
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)  # unique: see Meta.constraints
    # Personal fields (``ip``) are chained through a salted digest, not as they are, so
    # they can be removed at the end of their retention period and the link still
    # verifies (core/audit.py). Events written before the digest carry none (empty):
    # removing their IP leaves a keyed seal instead.
    personal_salt = models.CharField(max_length=32, blank=True)
    personal_digest = models.CharField(max_length=64, blank=True)
    redacted_at = models.DateTimeField(null=True, blank=True)
    redaction_seal = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "seq"]),
            # The office reports: an office's events of some actions in a period.
            # (On PostgreSQL its migration adds the actor and the object as included
            # columns: the reports read the index only.)
            models.Index(fields=["office", "action", "created_at"],
                         name="audit_office_action_at"),
            # The operator's admin filters every office's events by action. A Meta index
            # and a Meta constraint (hash), not db_index/unique on the fields: for those
            # PostgreSQL also gets a varchar_pattern_ops twin, for LIKE 'prefix%', which no
            # query here needs (core migration 0007).
            models.Index(fields=["action"], name="audit_action"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["hash"], name="core_auditevent_hash_key"),
        ]

    def __str__(self):
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class AuditChainHead(models.Model):
    """Single row holding the chain's tip; locking it serialises writers."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self):
        return f"audit head #{self.seq}"


class WorkerHeartbeat(models.Model):
    """Last sign of life of each background worker, shown by /healthz."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True)
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.worker_id} @ {self.last_seen:%Y-%m-%d %H:%M:%S}"


class AuditAnchor(models.Model):
    """The chain's head and length as of one day, as emailed and written to the anchor file.

    This row only makes the daily anchor happen once (``day`` is unique across
    workers); it proves nothing by itself, since whoever rewrites the database
    can rewrite it too. The proof is the copies kept outside: the coordinators'
    mailboxes and AUDIT_ANCHOR_FILE (``verify_audit --anchor``).
    """

    day = models.DateField(unique=True)
    seq = models.PositiveBigIntegerField()
    hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    def __str__(self):
        return f"audit anchor {self.day}: #{self.seq}"


class RetentionRun(models.Model):
    """The day's run of the retention job (core/retention_policy.py): queued once a day.

    What each run destroyed is in the audit log (``retention.destroyed``, with
    counts per data class and office); ``totals`` repeats the day's sums.
    """

    day = models.DateField(unique=True)
    queued_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    totals = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("pemusnahan harian (retensi)")
        verbose_name_plural = _("pemusnahan harian (retensi)")

    def __str__(self):
        return f"retention {self.day}"
