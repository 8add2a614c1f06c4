"""Scheduling pages: ``vendor`` (B.8 proposal, B.8.b answer, C.8.b reschedule) and
``staff`` (B.8.a–c decisions, the team calendar, the office's availability)."""

from verifikasi.core.http import safe_next_url


def next_url(request, default: str) -> str:
    return safe_next_url(request, default)
