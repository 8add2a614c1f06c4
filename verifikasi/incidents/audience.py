"""Who receives the notice to the affected people: groups registered by the apps that know.

This app sits below registrations and meetings, so it cannot ask them who
registered or who was recorded. They register a group in their
``AppConfig.ready()`` instead (``@audience(...)``): a function from an office to
the vendor accounts in the group. The notice page offers every group with its
size, and staff may add single addresses.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise

from verifikasi.accounts.models import User

People = Callable  # (office) -> QuerySet of accounts.User


@dataclass(frozen=True)
class Audience:
    key: str
    label: Promise
    people: People
    suits: tuple[str, ...] = ()  # AffectedData values for which this group is the usual choice


AUDIENCES: dict[str, Audience] = {}


def audience(key: str, label: Promise, *, suits: tuple[str, ...] = ()):
    """Register ``func(office) -> users`` as a group the notice can go to."""
    def register(func: People) -> People:
        AUDIENCES[key] = Audience(key, label, func, suits)
        return func
    return register


def audience_people(key: str, office):
    """The active accounts with an email in group ``key`` of ``office``."""
    return (AUDIENCES[key].people(office).filter(is_active=True).exclude(email="")
            .order_by("email").distinct())


def notice_recipients(office, audiences, extra) -> list[tuple[str, object]]:
    """Each address the notice goes to once, with its account when there is one: the
    people of the chosen groups, then the single addresses staff added."""
    chosen: dict[str, object] = {}
    for key in audiences:
        for user in audience_people(key, office):
            chosen.setdefault(user.email.lower(), user)
    for email in extra:
        if email not in chosen:
            chosen[email] = User.objects.filter(email=email).first()
    return list(chosen.items())
