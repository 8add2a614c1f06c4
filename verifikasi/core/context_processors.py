from django.conf import settings
from django.utils.functional import SimpleLazyObject

from verifikasi.offices.models import Office


def site(request):
    """Values every page may show: the site address, demo mode, the office (footer contact)."""
    user = getattr(request, "user", None)
    office = getattr(user, "office", None) if user is not None and user.is_authenticated else None
    return {
        "SITE_URL": settings.SITE_URL,
        "DEMO_MODE": settings.DEMO_MODE,
        # Looked up only when a page shows it (pages that name their office do not).
        "OFFICE": office or SimpleLazyObject(
            lambda: Office.objects.filter(code=settings.DEFAULT_OFFICE_CODE).first()),
    }
