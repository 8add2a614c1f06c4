"""A logged-in page's frame (base.html and the page's fixed text) kept per role, office and
language in the worker's memory; the request's own parts put in afresh (issue 16).

Rendering base.html (the menu with its dozen role tests and links, two forms, the footer)
cost a staff page about a millisecond, and it comes out the same for everyone of an office
with the same role and language. ``render_framed`` renders the page once with stand-ins
and marks in place of everything that differs between requests, keeps that frame in the
``local`` cache, and then only joins the parts:

- the CSRF token (a fresh masked token for each request, as ``{% csrf_token %}`` gives),
  the request's address (the language switch's ``next``) and the CSP nonce are marks;
- the page's changing parts (``slots``, e.g. the queue's results, already rendered) are
  marks;
- the person is a stand-in that shows only the role (``user.role``,
  ``user.is_office_staff``), the office only its footer fields: a frame cannot hold
  anything of one person, because rendering it never sees one. What it does see is its
  cache key (language, address prefix, role, the office's footer fields, settings).

A request with messages to show renders the whole page as before (messages are the
request's own). ``tests/core/test_pageframe.py`` compares framed pages with fresh ones.
"""

import hashlib
import secrets

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.middleware.csrf import get_token
from django.template.context_processors import csp
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

FRAME_SECONDS = 300
# Marks no text can contain: random for each process.
_MARK = f"pageframe{secrets.token_hex(12)}"
CSRF, PATH, NONCE = f"{_MARK}csrf.", f"{_MARK}path.", f"{_MARK}nonce."
FOOTER_FIELDS = ("name", "address", "phone", "reply_to_email")


class _Who:
    """The logged-in person as the frame may see them: the role, nothing else."""

    is_authenticated = True
    is_anonymous = False

    def __init__(self, user):
        self.role = user.role
        self.is_office_staff = user.is_office_staff


class _Office:
    __slots__ = FOOTER_FIELDS

    def __init__(self, values):
        for name, value in zip(FOOTER_FIELDS, values, strict=True):
            setattr(self, name, value)


class _Address:
    """The request as the frame may see it: its address is a mark."""

    @staticmethod
    def get_full_path():
        return PATH


def _frame(request, template_name: str, slots: tuple[str, ...], user, office_values):
    context = {
        "request": _Address(), "user": _Who(user), "perms": None, "messages": (),
        "csrf_token": CSRF, "csp_nonce": NONCE,
        "OFFICE": _Office(office_values),
    }
    for name in slots:
        context[name] = mark_safe(f"{_MARK}slot-{name}.")  # noqa: S308 - a mark, replaced
    html = render_to_string(template_name, context, request=request)
    marks = [CSRF, PATH, NONCE] + [f"{_MARK}slot-{name}." for name in slots]
    # Split at every mark: [text, mark, text, mark, …, text].
    parts = [html]
    for mark in marks:
        split = []
        for i, part in enumerate(parts):
            if i % 2:
                split.append(part)
                continue
            pieces = part.split(mark)
            for n, piece in enumerate(pieces):
                if n:
                    split.append(mark)
                split.append(piece)
        parts = split
    return parts


def render_framed(request, template_name: str, context: dict, *, slots: tuple[str, ...],
                  office=None) -> SafeString:
    """``render_to_string(template_name, context, request=request)`` for a logged-in
    page whose ``slots`` (names in ``context``, each already rendered) are all that
    changes besides the frame; ``office``: the footer's office (the user's)."""
    user = request.user
    if office is None or get_messages(request):
        return render_to_string(template_name, context, request=request)
    office_values = tuple(getattr(office, f) for f in FOOTER_FIELDS)
    state = (template_name, slots, get_language(), get_script_prefix(), get_urlconf(),
             settings.ROOT_URLCONF, settings.DEMO_MODE, settings.SITE_URL, user.role,
             user.is_office_staff, office_values)
    key = "pageframe:" + hashlib.sha256(repr(state).encode()).hexdigest()
    cache = caches["local"]
    parts = cache.get(key)
    if parts is None:
        parts = _frame(request, template_name, slots, user, office_values)
        cache.set(key, parts, FRAME_SECONDS)
    values = {CSRF: get_token(request), PATH: escape(request.get_full_path())}
    for name in slots:
        values[f"{_MARK}slot-{name}."] = context[name]
    out = []
    for i, part in enumerate(parts):
        if not i % 2:
            out.append(part)
        elif part == NONCE:
            out.append(escape(csp(request)["csp_nonce"]))
        else:
            out.append(values[part])
    return mark_safe("".join(out))  # noqa: S308 - the frame and the parts are escaped
