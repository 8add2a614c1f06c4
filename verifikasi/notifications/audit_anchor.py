"""The daily audit anchor goes out of the database: to a file and to each office head.

Run by the worker's upkeep on every heartbeat; only the first run of a day
(office time) does anything. The coordinator (Ketua Tim Verifikator) of each
office receives the anchor by email through the outbox, so a copy sits in
mailboxes the server cannot rewrite; ``verify_audit --anchor`` checks it.
"""

from django.db import transaction

from verifikasi.accounts.models import Role, User
from verifikasi.core.anchors import audit_anchor_take
from verifikasi.offices.models import Office

from .services import email_queue


def audit_anchor_daily() -> bool:
    """Take today's anchor and email it; False when it was already taken today."""
    with transaction.atomic():
        anchor = audit_anchor_take()
        if anchor is None:
            return False
        for office in Office.objects.order_by("pk"):
            heads = list(User.objects.filter(office=office, role=Role.COORDINATOR,
                                              is_active=True)
                         .order_by("email").values_list("email", flat=True))
            if heads:
                email_queue(template="audit_anchor", to=heads, office=office,
                            context={"anchor": anchor, "anchor_line": anchor.line()})
    return True
