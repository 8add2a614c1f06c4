"""Core's own data classes at the end of their period: IP addresses in the audit log,
expired login sessions and cache rows (core/retention_policy.py; registered in
CoreConfig.ready)."""

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection

from .audit import audit_redact_personal
from .models import AuditEvent
from .retention_policy import Destroyed, per_office, retention_applier, retention_days


@retention_applier("ip_address")
def audit_ips_remove(*, now) -> list[Destroyed]:
    """The audit log keeps its events; their IP addresses go after the office's period.

    Events of no office (sign-ups, the system) follow the default office's period.
    """
    def work(office, cutoff):
        events = AuditEvent.objects.filter(office=office, created_at__lt=cutoff)
        return audit_redact_personal(events, now=now)
    return per_office("ip_address", now, work, officeless=True, field="core.AuditEvent.ip")


@retention_applier("sessions")
def sessions_expired_delete(*, now) -> list[Destroyed]:
    deleted, _ = Session.objects.filter(expire_date__lt=now).delete()
    return [Destroyed(None, deleted, retention_days("sessions", None))]


@retention_applier("sessions")
def cache_expired_delete(*, now) -> list[Destroyed]:
    """Expired rows of the database cache: among them the login rate-limit counters, whose
    keys name the client's IP address. Django removes them only when the table is full."""
    done = []
    for conf in settings.CACHES.values():
        if not conf["BACKEND"].endswith("DatabaseCache"):
            continue
        table = connection.ops.quote_name(conf["LOCATION"])
        expires = connection.ops.quote_name("expires")
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE {expires} < %s",  # noqa: S608
                           [connection.ops.adapt_datetimefield_value(now.replace(microsecond=0))])
            done.append(Destroyed(None, cursor.rowcount, None, {"table": conf["LOCATION"]}))
    return done
