"""Scheduling pages: ``vendor`` (B.8 proposal, B.8.b answer, C.8.b reschedule) and
``staff`` (B.8.a–c decisions, the team calendar, the office's availability)."""

from django.utils.http import url_has_allowed_host_and_scheme


def next_url(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return candidate
    return default
