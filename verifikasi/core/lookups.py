import uuid

from django.http import Http404
from django.shortcuts import get_object_or_404


def get_by_code_or_404(queryset_or_model, code, **filters):
    """The object whose UUID ``code`` a form posted; 404 for a missing or malformed code
    (a garbled form value is a bad request, never a server error)."""
    try:
        code = uuid.UUID(str(code))
    except (TypeError, ValueError, AttributeError):
        raise Http404 from None
    return get_object_or_404(queryset_or_model, code=code, **filters)
