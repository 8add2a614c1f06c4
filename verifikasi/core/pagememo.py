"""A person's page rendered once per set of inputs, kept in the worker's own memory.

A logged-in page is personal, so the public page cache (core.pagecache) cannot keep it.
But most views of it show the same thing again: the same rows, the same day. Here the
page's HTML is kept in the per-process ``local`` cache under a key that *is* its inputs:
a digest of every value in the view's context (model rows with every loaded column and
every related row they carry, recursively; strings already translated; dates; countdowns
the view computed for this minute), the person's own row, the language, the time zone,
the path, and the site settings the layout shows. Changed data makes another key; nothing
is ever invalidated, and nothing is shared with another person (their row is in the key,
and the cache is per worker, never the shared database cache).

It refuses rather than guesses:

* a context value it cannot fingerprint (any type not listed in ``_fingerprint``) makes a
  plain render;
* a render that ran a database query read something that is not in the key (a lazy
  relation, a template tag's own query): that page is served but not kept;
* a render that used the request's CSP nonce: served, not kept (the nonce is per request);
* a query string or anything but GET: a plain render.

A message waiting (``messages``, e.g. "Berhasil masuk") is part of the key: its level, text
and tags; reading it for the key marks it shown, as rendering it does.

The CSRF token stays per request: the page is rendered with a placeholder token, kept so,
and every response gets the request's own token (the way core.pagecache does).
``PERSONAL_PAGE_MEMO_SECONDS`` bounds how long an unused page stays (0 turns memos off).
"""

import dataclasses
import datetime
import decimal
import hashlib
import uuid

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.db import connections
from django.db.models import Model
from django.db.models.fields.files import FieldFile
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.functional import LazyObject, Promise, empty
from django.utils.translation import get_language

from .csrf_kept import PLACEHOLDER, with_token

CACHE_ALIAS = "local"
_PLAIN = (str, int, float, bool, type(None), datetime.date, datetime.time,
          datetime.timedelta, decimal.Decimal, uuid.UUID)
_EXACT = frozenset({str, int, float, bool, type(None), datetime.datetime, datetime.date})
# Types whose repr() shows the type and the whole value: a dict of only these is
# fingerprinted by one repr() (a model row, mostly).
_REPR_EXACT = _EXACT | {datetime.time, datetime.timedelta, decimal.Decimal, uuid.UUID}


class Unfingerprintable(TypeError):
    """A context value whose content the memo cannot see: render it plainly."""


def _pairs(pairs, out: list, seen: dict) -> None:
    """Keys and values in their order (an order that differs is only another key)."""
    append = out.append
    for k, v in pairs:
        append(repr(k))
        if type(v) in _EXACT:  # the common case, inline
            append(f"{type(v).__name__}:{v!r}")
        else:
            _fingerprint(v, out, seen)


def _fingerprint(value, out: list, seen: dict) -> None:
    if type(value) in _EXACT:
        out.append(f"{type(value).__name__}:{value!r}")
        return
    if isinstance(value, LazyObject):  # request.user, as views hand it on
        if value._wrapped is empty:
            value._setup()
        value = value._wrapped
    if isinstance(value, _PLAIN):  # enums and SafeString are str subclasses
        out.append(f"{type(value).__name__}:{value!r}")
    elif isinstance(value, Promise):  # a lazy translation, in the active language
        out.append(f"lazy:{str(value)!r}")
    elif isinstance(value, Model | dict | list | tuple) or dataclasses.is_dataclass(value):
        if id(value) in seen:
            out.append(f"ref{seen[id(value)][0]}")
            return
        seen[id(value)] = (len(seen), value)  # kept alive: its id is not reused meanwhile
        if isinstance(value, Model):
            out.append(f"model:{value._meta.label}:{value._state.adding}:{len(value.__dict__)}")
            row = {k: v for k, v in value.__dict__.items() if k != "_state"}
            if all(type(v) in _REPR_EXACT for v in row.values()):
                out.append(repr(row))
            else:
                _pairs(row.items(), out, seen)
            cache = value._state.fields_cache
            out.append(f"related{len(cache)}")
            _pairs(cache.items(), out, seen)
        elif isinstance(value, dict):
            out.append(f"dict{len(value)}")
            _pairs(value.items(), out, seen)
        elif isinstance(value, list | tuple):
            out.append(f"{type(value).__name__}{len(value)}")
            for item in value:
                _fingerprint(item, out, seen)
        else:
            fields = dataclasses.fields(value)
            out.append(f"dc:{type(value).__qualname__}{len(fields)}")
            _pairs(((f.name, getattr(value, f.name)) for f in fields), out, seen)
    elif isinstance(value, FieldFile):
        out.append(f"file:{value.name!r}")
    elif isinstance(value, type):  # TextChoices classes and the like: constant per process
        out.append(f"type:{value.__module__}.{value.__qualname__}")
    else:
        raise Unfingerprintable(type(value).__name__)


def fingerprint(*values) -> str:
    out: list[str] = []
    seen: dict = {}
    for value in values:
        _fingerprint(value, out, seen)
    return hashlib.sha256("\x1f".join(out).encode()).hexdigest()


def _memoizable(request) -> bool:
    return (settings.PERSONAL_PAGE_MEMO_SECONDS > 0
            and request.method == "GET"
            and not request.META.get("QUERY_STRING")
            and request.user.is_authenticated)


class _QueryWatch:
    """Counts the queries a render runs (on every connection of this thread)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def render_memoized(request, template_name: str, context: dict) -> HttpResponse:
    """``render(request, template_name, context)``, kept per inputs (see the module doc)."""
    if not _memoizable(request):
        return HttpResponse(render_to_string(template_name, context, request))
    storage = get_messages(request)
    # Iterating marks them shown, as the render would; the layout shows them from the same
    # storage, which still holds them for this response.
    waiting = [(m.level, str(m.message), m.extra_tags) for m in storage] if len(storage) else []
    try:
        key = "memo:" + fingerprint(
            template_name, context, request.user, waiting, get_language(),
            timezone.get_current_timezone_name(), get_script_prefix(), request.path,
            settings.SITE_URL, settings.DEMO_MODE)
    except Unfingerprintable:
        return HttpResponse(render_to_string(template_name, context, request))
    cache = caches[CACHE_ALIAS]
    html = cache.get(key)
    if html is None:
        watch = _QueryWatch()
        with _watching(watch):
            html = render_to_string(template_name, {**context, "csrf_token": PLACEHOLDER},
                                    request)
        if not watch.count and not get_nonce(request):  # a used CSP nonce is per request
            cache.set(key, html, settings.PERSONAL_PAGE_MEMO_SECONDS)
    return HttpResponse(with_token(html, request))


class _watching:
    def __init__(self, watch):
        self.watch = watch
        self.stack = []

    def __enter__(self):
        for conn in connections.all():
            cm = conn.execute_wrapper(self.watch)
            cm.__enter__()
            self.stack.append(cm)
        return self.watch

    def __exit__(self, *exc):
        while self.stack:
            self.stack.pop().__exit__(*exc)
