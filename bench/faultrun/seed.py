"""What the run starts from: the office's staff (with TOTP secrets the run knows) and the
office's video calls as Jitsi rooms (no outside service). Executed by ``manage.py shell``."""

SEED = """
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from verifikasi.accounts.models import Role, User
from verifikasi.meetings.models import MeetingSettings, Provider
from verifikasi.offices.selectors import office_default

office = office_default()
MeetingSettings.objects.get_or_create(office=office, defaults={{"provider": Provider.JITSI}})
for email, role in {staff!r}:
    user = User.objects.create_user(email, {password!r}, role=role, office=office,
                                    full_name=email.split("@")[0].title())
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    TOTP.activate(user, {secret!r})
print("seeded", office.code)
"""

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXQ"
STAFF_PASSWORD = "Faultrun-Staf-2026!"  # noqa: S105 - a throw-away database's test login


def staff_accounts(verifiers: int) -> list[tuple[str, str]]:
    """One verifier per concurrent journey (each keeps its own session) and a coordinator."""
    staff = [(f"verifikator{i}@lpse.test", "verifier") for i in range(1, verifiers + 1)]
    return [*staff, ("ketua@lpse.test", "coordinator")]


def seed_code(verifiers: int) -> str:
    return SEED.format(staff=staff_accounts(verifiers), password=STAFF_PASSWORD,
                       secret=TOTP_SECRET)
