from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils.crypto import get_random_string

from verifikasi.accounts.models import STAFF_ROLES, Role, User
from verifikasi.offices.models import Office

from .audit import audit_log
from .validators import validate_single_line


def staff_create(
    *, email: str, role: str, office: Office, full_name: str = "", password: str | None = None,
    created_by: User | None = None,
) -> tuple[User, str]:
    """Create a staff account (verifier, coordinator or admin) of one office.

    Staff never sign up themselves (DESIGN: roles). Returns the user and the
    password (generated when none is given, so it can be handed over once).
    """
    if role not in STAFF_ROLES:
        raise ValueError(f"role must be one of {', '.join(STAFF_ROLES)}")
    full_name = (full_name or "").strip()
    validate_single_line(full_name)
    password = password or get_random_string(16)
    with transaction.atomic():
        user = User(email=email.lower(), full_name=full_name, role=role, office=office,
                    is_staff=role == Role.ADMIN)
        validate_password(password, user)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
        audit_log(action="staff.created", actor=created_by, office=office, obj=user,
                  details={"email": user.email, "role": role})
    return user, password
