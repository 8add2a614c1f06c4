"""Vendors whose call recording is still kept: a group for a breach notice (incidents)."""

from django.utils.translation import gettext_lazy as _

from verifikasi.accounts.models import Role, User
from verifikasi.incidents.audience import audience
from verifikasi.incidents.models import AffectedData


@audience("recorded", _("Pelaku Usaha yang rekaman video call-nya masih tersimpan"),
          suits=(AffectedData.RECORDINGS,))
def vendors_recorded(office):
    return User.objects.filter(role=Role.VENDOR, registrations__office=office,
                               registrations__recordings__isnull=False)
