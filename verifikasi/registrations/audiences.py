"""The groups of vendors a breach notice can go to (registered in incidents.audience)."""

from django.utils.translation import gettext_lazy as _

from verifikasi.accounts.models import Role, User
from verifikasi.incidents.audience import audience
from verifikasi.incidents.models import AffectedData as D

from .models import RegistrationStatus as S


@audience("registered", _("Semua Pelaku Usaha yang pernah mendaftar di kantor ini"),
          suits=(D.IDENTITY, D.CONTACT, D.COMPANY, D.ACCOUNTS, D.TECHNICAL))
def registered_vendors(office):
    return User.objects.filter(role=Role.VENDOR, registrations__office=office)


@audience("documents_kept", _("Pelaku Usaha yang dokumennya masih tersimpan"),
          suits=(D.DOCUMENTS,))
def vendors_with_documents(office):
    return User.objects.filter(role=Role.VENDOR, registrations__office=office,
                               registrations__documents__purged_at__isnull=True)


@audience("certified", _("Pelaku Usaha yang telah menerima tanda lulus"),
          suits=(D.CERTIFICATES,))
def vendors_certified(office):
    return User.objects.filter(role=Role.VENDOR, registrations__office=office,
                               registrations__status__in=[S.CERTIFICATE_SENT, S.COMPLETED])
