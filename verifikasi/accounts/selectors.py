from .models import Role, User

TEAM_ROLES = (Role.VERIFIER, Role.COORDINATOR)


def team_members(office):
    """The office's verifier team: active verifiers and coordinators (who take cases)."""
    return User.objects.filter(office=office, is_active=True,
                               role__in=TEAM_ROLES).order_by("full_name", "email")


def team_emails(office) -> list[str]:
    return sorted(team_members(office).values_list("email", flat=True))


def head_emails(office) -> list[str]:
    """The office head's addresses: every active Ketua Tim Verifikator (may be empty)."""
    heads = User.objects.filter(office=office, role=Role.COORDINATOR, is_active=True)
    return sorted(heads.values_list("email", flat=True))
