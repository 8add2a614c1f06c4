"""Registrations at each scheduling step, built through the real services."""

import itertools
from datetime import datetime
from zoneinfo import ZoneInfo

from tests.conftest import make_user
from tests.registrations.factories import make_registration
from verifikasi.scheduling import services

WIB = ZoneInfo("Asia/Pontianak")
_npwp = itertools.count(1)


def wib(year, month, day, hour=0, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WIB)


def accepted(vendor, office, **fields):
    """A registration whose documents the verifier accepted (C.3)."""
    fields.setdefault("status", "documents_accepted")
    return make_registration(vendor, office, **fields)


def another_accepted(office, n: int | None = None):
    """One more vendor's accepted registration (its own NPWP: one open per NPWP)."""
    n = n if n is not None else next(_npwp)
    vendor = make_user(f"vendor{n}@usaha.test", full_name=f"Vendor {n}")
    return accepted(vendor, office, npwp=f"{900000000000000 + n:016d}",
                    company_name=f"CV Usaha {n}")


def propose(registration, *starts):
    return services.appointment_propose(registration=registration, actor=registration.vendor,
                                        starts=list(starts))


def schedule(registration, start, staff):
    """Proposed by the vendor and confirmed by ``staff``: status "scheduled"."""
    propose(registration, start)
    return services.appointment_confirm(registration=registration, actor=staff, start=start)
