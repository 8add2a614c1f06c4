"""Public pages rendered once per office and language, for strangers only (issue 16).

The landing page (what the poster's QR code opens) and the login page are the same for
every visitor who is not logged in, except for the CSRF token. They are kept, per
process, as HTML with the token taken out, and each request gets its own token put back
in. Nothing personal is kept: a logged-in visitor, a visitor with a message waiting
(e.g. "you have logged out"), a query string or anything but GET always gets a fresh
render, and only a plain 200 is kept.

An admin's change to the office's details or its checklist shows within
PUBLIC_PAGE_CACHE_SECONDS (each worker keeps its own copy; 0 turns the cache off).
"""

import re
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.translation import get_language

from .csrf_kept import PLACEHOLDER, with_token

CACHE_ALIAS = "public_pages"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


def _cacheable(request) -> bool:
    return (
        settings.PUBLIC_PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
        and not request.META.get("QUERY_STRING")
        and not request.user.is_authenticated
        and not len(get_messages(request))
    )


def page_key(request) -> str:
    return ":".join(("page", settings.SITE_URL, settings.DEFAULT_OFFICE_CODE, get_language(),
                     request.path))


def public_page(view):
    """Serve ``view``'s page to strangers from the per-process cache (see module doc)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        cache = caches[CACHE_ALIAS]
        key = page_key(request)
        kept = cache.get(key)
        if kept is not None:
            html, headers = kept
            return HttpResponse(with_token(html, request), headers=headers)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()  # a TemplateResponse (allauth's views)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            html = response.content.decode(response.charset)
            token = TOKEN.search(html)
            if token:
                html = html.replace(token[1], PLACEHOLDER)
            # What the view said about the page (its type; allauth's never_cache headers).
            headers = {k: v for k, v in response.items() if k.lower() != "content-length"}
            cache.set(key, (html, headers), settings.PUBLIC_PAGE_CACHE_SECONDS)
        return response

    return wrapper
