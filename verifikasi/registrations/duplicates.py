"""Other registrations with the same identifiers, for the verifier under review (issue 20).

What an experienced verifier remembers ("this NPWP came in last month under another
name"), shown as hints with a reason, never as an automatic refusal:

- registrations with the same company NPWP or NIB, or where the same person (director's
  or attorney's NIK) acts: in this office with a link to their review page; in other
  offices of the installation only "terdaftar di <office>, status, tanggal" — no name,
  no identifier, no document of another office's vendor reaches this page;
- flags: an NPWP or NIB used under different company names, one NIK acting for several
  companies, a company rejected before.

One query over four indexed columns (migration 0016), capped at ``MATCH_LIMIT`` rows,
so the check stays cheap at 10⁶ registrations (bench/duplicates.py).
"""

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from verifikasi.core.audit import audit_log

from .models import Registration, RegistrationStatus

#: Newest first; more than this many matches is itself the hint.
MATCH_LIMIT = 50


@dataclass
class Match:
    """Another registration sharing an identifier with the one under review."""

    office_name: str
    status: str  # the label, never the code
    created_at: datetime
    same_office: bool
    # Only for the same office (None/"" otherwise): the office's own data, linked.
    company_name: str = ""
    code: str = ""
    url: str = ""
    shared: list[str] = field(default_factory=list)  # which identifiers are the same


@dataclass
class DuplicateReport:
    here: list[Match]
    elsewhere: list[Match]
    flags: list[str]

    @property
    def empty(self) -> bool:
        return not (self.here or self.elsewhere or self.flags)


def _name_key(name: str) -> str:
    """Company names compared without case, punctuation or spacing ("CV. Maju-Jaya")."""
    return re.sub(r"[\W_]+", "", name or "").casefold()


def _company_key(registration: Registration) -> str:
    """Which company a registration is for: its NPWP, else its NIB, else its name."""
    return registration.npwp or registration.nib or _name_key(registration.company_name)


def _niks(registration: Registration) -> dict[str, str]:
    """The people who act for the company, by NIK: {nik: label}."""
    niks = {}
    if registration.director_nik:
        niks[registration.director_nik] = _("NIK direktur/pemilik")
    if registration.represented and registration.representative_nik:
        niks.setdefault(registration.representative_nik, _("NIK penerima kuasa"))
    return niks


def _acting_niks(other: Registration) -> set[str]:
    acting = {other.director_nik} if other.director_nik else set()
    if other.represented and other.representative_nik:
        acting.add(other.representative_nik)
    return acting


def _candidates(registration: Registration) -> list[Registration]:
    query = Q()
    if registration.npwp:
        query |= Q(npwp=registration.npwp)
    if registration.nib:
        query |= Q(nib=registration.nib)
    niks = list(_niks(registration))
    if niks:
        query |= Q(director_nik__in=niks) | Q(representative_nik__in=niks)
    if not query:
        return []
    return list(
        Registration.objects.filter(query).exclude(pk=registration.pk)
        .select_related("office")
        .only("code", "office__name", "status", "created_at", "status_changed_at",
              "company_name", "npwp", "nib", "director_nik", "represented",
              "representative_nik")
        .order_by("-created_at")[:MATCH_LIMIT])


def _shared(registration: Registration, other: Registration, niks: dict[str, str]) -> list[str]:
    shared = []
    if registration.npwp and other.npwp == registration.npwp:
        shared.append(_("NPWP"))
    if registration.nib and other.nib == registration.nib:
        shared.append(_("NIB"))
    for nik, label in niks.items():
        if nik in _acting_niks(other):
            shared.append(label)
    return shared


def _other_names(registration, others, attribute) -> tuple[list[str], int]:
    """Different company names under the same NPWP/NIB: those of this office (by name),
    and how many other offices' registrations (not named)."""
    value, own = getattr(registration, attribute), _name_key(registration.company_name)
    names, elsewhere = [], 0
    for other in others:
        if not value or getattr(other, attribute) != value or not other.company_name:
            continue
        if _name_key(other.company_name) == own:
            continue
        if other.office_id == registration.office_id:
            if other.company_name not in names:
                names.append(other.company_name)
        else:
            elsewhere += 1
    return names, elsewhere


def _name_flag(label: str, names: list[str], elsewhere: int) -> str | None:
    if not names and not elsewhere:
        return None
    parts = []
    if names:
        parts.append(_("di kantor ini: %(names)s") % {"names": ", ".join(names)})
    if elsewhere:
        parts.append(ngettext("%(n)d pendaftaran di kantor lain",
                              "%(n)d pendaftaran di kantor lain", elsewhere) % {"n": elsewhere})
    return _("%(identifier)s yang sama dipakai dengan nama perusahaan lain (%(where)s).") % {
        "identifier": label, "where": "; ".join(parts)}


def _flags(registration: Registration, others: list[Registration],
           niks: dict[str, str]) -> list[str]:
    flags = []
    for attribute, label in (("npwp", _("NPWP")), ("nib", _("NIB"))):
        flag = _name_flag(label, *_other_names(registration, others, attribute))
        if flag:
            flags.append(flag)
    own_company = _company_key(registration)
    for nik, label in niks.items():
        companies = {_company_key(o) for o in others
                     if nik in _acting_niks(o) and _company_key(o) != own_company}
        if companies:
            flags.append(ngettext(
                "%(who)s ini juga bertindak untuk %(n)d perusahaan lain.",
                "%(who)s ini juga bertindak untuk %(n)d perusahaan lain.",
                len(companies)) % {"who": label, "n": len(companies)})
    for other in others:
        same_company = ((registration.npwp and other.npwp == registration.npwp)
                        or (registration.nib and other.nib == registration.nib))
        if same_company and other.status == RegistrationStatus.REJECTED:
            flags.append(_("Perusahaan ini pernah ditolak: %(office)s, %(date)s.") % {
                "office": other.office.name,
                "date": date_format(timezone.localtime(other.status_changed_at),
                                    "SHORT_DATE_FORMAT")})
    return flags


def registration_duplicates(registration: Registration) -> DuplicateReport:
    """Other registrations sharing the NPWP, NIB or a NIK, and the flags they raise."""
    others = _candidates(registration)
    niks = _niks(registration)
    here, elsewhere = [], []
    for other in others:
        if other.office_id == registration.office_id:
            here.append(Match(
                office_name=other.office.name, status=other.get_status_display(),
                created_at=other.created_at, same_office=True,
                company_name=other.company_name, code=str(other.code),
                url=reverse("staff_review", args=[other.code]),
                shared=_shared(registration, other, niks)))
        else:
            # Another office's registration: where, its status and when — nothing else.
            elsewhere.append(Match(office_name=other.office.name,
                                   status=other.get_status_display(),
                                   created_at=other.created_at, same_office=False))
    return DuplicateReport(here=here, elsewhere=elsewhere,
                           flags=_flags(registration, others, niks))


def registration_duplicates_show(*, registration: Registration, actor,
                                 request=None) -> DuplicateReport:
    """The duplicate card of the review screen; showing other registrations (even only
    another office's status) is an access to data about other people, so it is audited
    whenever the card has something to show."""
    report = registration_duplicates(registration)
    if not report.empty:
        audit_log(action="registration.duplicates_shown", actor=actor,
                  office=registration.office, obj=registration, request=request,
                  details={"here": [m.code for m in report.here],
                           "elsewhere": len(report.elsewhere), "flags": len(report.flags)})
    return report
