"""Small HTTP helpers every app's views share: personal files and redirects."""

from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

PRIVATE_NO_STORE = "private, no-store"
MAX_NEXT_LENGTH = 2000


def private_file(response):
    """Mark a response carrying personal data (a document, a page image, a recording,
    a certificate, an invitation) as never to be stored by a browser or a proxy.

    Replaces whatever caching the view or a decorator set: "private, no-store"
    and nothing that could loosen it (UU No. 27/2022; issue 13).
    """
    response["Cache-Control"] = PRIVATE_NO_STORE
    response.headers.pop("Expires", None)
    return response


def safe_next_url(request, default, *args, **kwargs) -> str:
    """Where to go after a form: the ``next`` the user sent if it stays on this site,
    else ``default`` (a URL name with ``args``/``kwargs``, or a path).

    A user-supplied value is only ever used as a URL, never as a URL name, so a
    value like "staff_review" or "javascript:…" cannot make a 500 or leave the site.
    """
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    # Only a path on this site ("/antrean/?halaman=2"): no scheme, no host, and
    # nothing relative that the browser would resolve against the current page.
    if candidate.startswith("/") and len(candidate) <= MAX_NEXT_LENGTH \
            and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return candidate
    return resolve_url(default, *args, **kwargs) if default else default
