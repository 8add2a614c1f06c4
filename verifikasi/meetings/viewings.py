"""One audit event per viewing of a recording, however the player asks for the bytes.

A browser's player fetches a recording in many ranged requests (the start,
then wherever the viewer seeks, sometimes two at once) and may resume a
viewing without ever asking for byte 0 again. Auditing every request would
flood the chain; auditing only requests from byte 0 would let a viewing that
starts elsewhere go unrecorded. So a *viewing* is one member of staff with one
recording within ``VIEWING_WINDOW``: the first request of any range in that
window is audited, the rest are part of the same viewing.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from verifikasi.core.audit import audit_log
from verifikasi.core.models import AuditChainHead, AuditEvent

from .models import Recording

VIEWING_WINDOW = timedelta(minutes=30)
ACTION_VIEWED = "recording.viewed"


def recording_viewing_log(*, recording: Recording, actor, request=None) -> bool:
    """Audit this request as a viewing unless the same user's viewing of the same
    recording was audited within ``VIEWING_WINDOW``; True when an event was written."""
    with transaction.atomic():
        # Take the audit chain's lock first (a no-op UPDATE locks the row on
        # PostgreSQL and the database on SQLite), so two ranged requests of the
        # same viewing arriving together cannot both find no event and both write.
        AuditChainHead.objects.filter(pk=1).update(seq=F("seq"))
        since = timezone.now() - VIEWING_WINDOW
        if AuditEvent.objects.filter(
            object_type=Recording._meta.label_lower, object_id=str(recording.code),
            action=ACTION_VIEWED, actor=actor, created_at__gte=since,
        ).exists():
            return False
        audit_log(action=ACTION_VIEWED, actor=actor, office=recording.meeting.office,
                  obj=recording, request=request,
                  details={"registration": recording.registration.code})
    return True
