"""What the staff queue shows has changed: a value per office that the database itself
replaces on every change (issue 16).

The queue page is kept per person in the worker's memory (registrations.queue_memo) under
a key that holds these values. They are written only by database triggers (migrations
registrations 0020 and scheduling 0004), never by Python, so no change can slip past them:
not a lifecycle step, an admin edit, a ``QuerySet.update()``, a retention purge nor a
manual SQL fix. A trigger sets a new *random* value rather than counting up, so a value
is never seen twice even when the transaction that wrote it is rolled back.

* ``office_id = <office>``: any registration of that office inserted, changed or deleted;
  the office's closures or availability (its working days) changed.
* ``office_id = 0`` (``version_triggers.PEOPLE``): someone's email, name, role, office or
  active flag changed, or staff were added or removed (the queue shows vendors' emails, verifiers'
  names and, for the coordinator, the team).

``office_id`` is a plain number, not a foreign key, so deleting an office (whose
registrations fire the trigger as they go) never trips over it.

On PostgreSQL the write locks the office's row until the transaction ends, so two
transactions that change registrations of the same office at once run their trigger one
after the other. An office's writes come at human pace and take milliseconds; a long batch
(a retention purge, ``sla_rebuild``) delays the office's other writes until it commits.
"""

from django.db import models


class QueueVersion(models.Model):
    office_id = models.BigIntegerField(primary_key=True)
    version = models.BigIntegerField()

    class Meta:
        verbose_name = "versi antrean"
        verbose_name_plural = "versi antrean"

    def __str__(self):
        return f"{self.office_id}: {self.version}"
