"""Reads for certificates, and the access helpers the views use (404 to outsiders)."""

from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from verifikasi.accounts.models import STAFF_ROLES, Role
from verifikasi.core.prepared import Prepared

from .models import Certificate, CertificateSettings
from .numbering import DEFAULT_PATTERN


def certificate_settings_get(office) -> CertificateSettings:
    """The office's certificate settings, created with the defaults on first use."""
    cfg, _created = CertificateSettings.objects.get_or_create(
        office=office, defaults={"number_pattern": DEFAULT_PATTERN})
    return cfg


def certificate_check_url(certificate: Certificate) -> str:
    """The absolute public check address printed (and QR-coded) on the certificate."""
    return settings.SITE_URL + reverse("certificate_check", args=[certificate.code])


def certificate_public(code: str) -> Certificate:
    """A certificate by its public check code, for anyone holding the code."""
    try:
        return Certificate.objects.select_related("office").get(code=code)
    except Certificate.DoesNotExist:
        raise Http404 from None


def certificate_for_user(user, code: str) -> Certificate:
    """The vendor whose registration it certifies, or staff of its office; else 404."""
    if not user.is_authenticated:
        raise Http404
    certificates = Certificate.objects.select_related("office", "registration")
    if user.role == Role.VENDOR:
        certificates = certificates.filter(registration__vendor=user)
    elif user.role in STAFF_ROLES:
        certificates = certificates.filter(office=user.office_id)
    else:
        raise Http404
    try:
        return certificates.get(code=code)
    except Certificate.DoesNotExist:
        raise Http404 from None


def certificate_for_staff(user, code: str) -> Certificate:
    """Staff of the certificate's office only (e.g. to revoke it); 404 to everyone else."""
    if not (user.is_authenticated and user.role in STAFF_ROLES):
        raise Http404
    return certificate_for_user(user, code)


_certificate_in_force = Prepared(  # compiled once per connection (core.prepared)
    lambda registration_id: Certificate.objects.filter(
        registration_id=registration_id, revoked_at__isnull=True),
    first=True, registration_id=int)


def certificate_current(registration) -> Certificate | None:
    """The registration's certificate in force (not revoked), if any."""
    if registration.pk is None:  # unsaved: Django's own refusal
        return registration.certificates.filter(revoked_at__isnull=True).first()
    certificate = _certificate_in_force(registration_id=registration.pk)
    if certificate is not None:
        certificate.registration = registration  # as registration.certificates would set it
    return certificate


def certificates_awaiting_receipt(*, office, now=None):
    """C.7: certificates in force whose receipt is unconfirmed past the office's reminder days."""
    cfg = certificate_settings_get(office)
    cutoff = (now or timezone.now()) - timedelta(days=cfg.receipt_reminder_days)
    return (Certificate.objects.filter(office=office, revoked_at__isnull=True,
                                       receipt_confirmed_at__isnull=True,
                                       issued_at__lte=cutoff)
            .select_related("registration", "registration__vendor")
            .order_by(F("issued_at").asc()))
