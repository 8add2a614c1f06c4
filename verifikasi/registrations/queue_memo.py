"""The queue's results kept per person in the worker's memory until anything they show
changes, or for the rest of the minute (issue 16).

A verifier's queue is opened and reloaded far more often than the office's registrations
change; building a page of fifty rows (the query, the clocks, the markup) cost about two
thirds of the request. Here the rendered results are kept in the per-process ``local``
cache under a key made of everything they depend on:

* the office's and the people's **queue versions** (``QueueVersion``: random values that
  database triggers replace on every change of a registration of the office, of its
  closures and availability, and of anyone's email, name, role, office or active flag),
  read with one query, *before* the rows, so the rows kept are never older than the
  versions in their key;
* the person (their id and role: the take and assign forms differ), the whole query
  string (filters, cursor; the assign form's ``next``), the language, the time zone, the
  address prefix and URLconf, the office's row, and the status counts the total may
  come from (which are themselves up to a minute old, staff_queue.status_counts);
* the current **minute**: "Menunggu 3 jam" and the working days left are computed for
  the moment the page was built, so a kept page is at most a minute old in those words
  and never older (a new minute is a new key).

Nothing is shared with another person (their id is in the key, and the cache is the
worker's own, never the shared database cache); nothing is ever invalidated: a change is
another key. The CSRF token stays per request: the rows are built with a placeholder
token, kept so, and every response gets the request's own (as core.pagememo does).
``PERSONAL_PAGE_MEMO_SECONDS`` = 0 turns it off (bench/queue_page.py measures the
queries that way).
"""

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone
from django.utils.translation import get_language

from verifikasi.core.csrf_kept import with_token

from .models import QueueVersion
from .version_triggers import PEOPLE

CACHE_ALIAS = "local"
MEMO_SECONDS = 60
_VERSIONS_SQL = (f'SELECT "office_id", "version" FROM "{QueueVersion._meta.db_table}" '  # noqa: S608 - the model's table name
                 'WHERE "office_id" IN (%s, %s)')


def queue_versions(office_id: int) -> tuple[int | None, int | None]:
    """The office's and the people's queue versions (None: never written yet)."""
    with connection.cursor() as cursor:
        cursor.execute(_VERSIONS_SQL, [office_id, PEOPLE])
        found = dict(cursor.fetchall())
    return found.get(office_id), found.get(PEOPLE)


def memo_key(request, office, counts: dict) -> str | None:
    """The key of this request's queue results, or None when they are not to be kept."""
    if settings.PERSONAL_PAGE_MEMO_SECONDS <= 0 or request.method != "GET":
        return None
    user = request.user
    office_row = tuple(getattr(office, f.attname) for f in office._meta.concrete_fields)
    state = (
        queue_versions(office.pk), user.pk, user.role, request.get_full_path(),
        get_language(), timezone.get_current_timezone_name(), get_script_prefix(),
        get_urlconf(), settings.ROOT_URLCONF, office_row, sorted(counts.items()),
        int(timezone.now().timestamp() // 60),
    )
    return "queue-memo:" + hashlib.sha256(repr(state).encode()).hexdigest()


def recall(key: str | None, request) -> str | None:
    """The kept results with this request's CSRF token, or None."""
    if key is None:
        return None
    html = caches[CACHE_ALIAS].get(key)
    return None if html is None else with_token(html, request)


def keep(key: str | None, request, html: str) -> str:
    """Keep ``html`` (built with PLACEHOLDER as its token) under ``key``; return it with
    this request's token."""
    if key is not None:
        seconds = min(MEMO_SECONDS, settings.PERSONAL_PAGE_MEMO_SECONDS)
        caches[CACHE_ALIAS].set(key, html, seconds)
    return with_token(html, request)
