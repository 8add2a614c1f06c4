import uuid

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    VENDOR = "vendor", _("Pelaku Usaha")
    VERIFIER = "verifier", _("Verifikator")
    COORDINATOR = "coordinator", _("Ketua Tim Verifikator")
    ADMIN = "admin", _("Admin LPSE")


STAFF_ROLES = (Role.VERIFIER, Role.COORDINATOR, Role.ADMIN)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **extra):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("role", Role.VENDOR)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True, role=Role.ADMIN)
        if "office" not in extra:
            from verifikasi.offices.selectors import office_default

            extra["office"] = office_default()
        return self._create(email, password, **extra)


class User(AbstractUser):
    """A person who logs in with their email address.

    Vendors (Pelaku Usaha) sign up themselves; staff belong to one office and
    are created by an admin or ``manage.py create_staff``, never by signup.
    """

    username = None
    first_name = None
    last_name = None
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("alamat email"), unique=True)
    full_name = models.CharField(_("nama lengkap"), max_length=150, blank=True)
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, default=Role.VENDOR)
    office = models.ForeignKey(
        "offices.Office",
        verbose_name=_("kantor LPSE"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=Role.values), name="user_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(role=Role.VENDOR) | Q(office__isnull=False),
                name="staff_user_has_office",
            ),
        ]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_office_staff(self) -> bool:
        return self.role in STAFF_ROLES
