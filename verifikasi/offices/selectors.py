from django.conf import settings
from django.http import Http404

from .models import Office


def office_default() -> Office:
    """The office the public pages and vendor signup belong to (DEFAULT_OFFICE_CODE)."""
    office = Office.objects.filter(code=settings.DEFAULT_OFFICE_CODE).first()
    if office is None:
        raise Http404("Kantor LPSE belum dikonfigurasi.")
    return office
