"""The 3×24-hour notice clock (UU No. 27/2022 Pasal 46 ayat 1), from "became known"."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

NOTICE_WITHIN = timedelta(hours=72)


@dataclass(frozen=True)
class Clock:
    deadline: datetime
    done: bool  # both notices sent
    overdue: bool  # past the deadline with a notice still unsent, or sent late
    text: str  # "sisa 41 jam 12 menit", "terlambat 5 jam", "terkirim tepat waktu"


def _duration(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours >= 1:
        return _("%(h)d jam %(m)d menit") % {"h": hours, "m": minutes}
    return _("%(m)d menit") % {"m": minutes}


def incident_clock(incident, now: datetime | None = None) -> Clock:
    """Where an incident stands against its notice deadline."""
    now = now or timezone.now()
    deadline = incident.discovered_at + NOTICE_WITHIN
    authority_at = None
    if incident.authority_sent_on is not None:
        authority_at = timezone.make_aware(
            datetime.combine(incident.authority_sent_on, datetime.min.time()),
            incident.office.tzinfo)
    sent = [t for t in (incident.people_sent_at, authority_at) if t is not None]
    if len(sent) == 2:
        late = incident.people_sent_at > deadline or \
            incident.authority_sent_on > timezone.localtime(deadline, incident.office.tzinfo).date()
        return Clock(deadline, True, late,
                     _("kedua pemberitahuan terkirim, terlambat") if late
                     else _("kedua pemberitahuan terkirim tepat waktu"))
    if now > deadline:
        return Clock(deadline, False, True,
                     _("terlambat %(t)s") % {"t": _duration(now - deadline)})
    return Clock(deadline, False, False, _("sisa %(t)s") % {"t": _duration(deadline - now)})
