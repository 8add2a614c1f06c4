"""A database or storage failure during a request: a clear 503, and nothing half-saved.

``ServiceUnavailableMiddleware`` (first in MIDDLEWARE) turns a view's database
error (OperationalError, InterfaceError: the server is down, restarting, or the
connection dropped) or storage error (OSError from the file system, botocore's
errors from S3) into the page "layanan sedang terganggu" with HTTP 503 and
Retry-After, instead of the generic 500 page; ``server_error`` (handler500)
does the same for such an error raised outside the view (e.g. the session
middleware reading a database that is gone). The page is rendered without the
request's context: no query, no session, so it renders while the database is
down.

Nothing changes: a service's transaction rolls back with the error, and the
files stored during a failed request that no committed row refers to are
removed (``core.storage.files_unit``). The error is logged with its traceback
for the operator; the person sees no stack trace.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string

from .storage import files_unit

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
DATABASE_ERRORS = (OperationalError, InterfaceError)


def _storage_errors() -> tuple[type[BaseException], ...]:
    errors: tuple[type[BaseException], ...] = (OSError,)
    try:
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # the S3 extra is not installed: local storage only
        return errors
    return (*errors, BotoCoreError, ClientError)


STORAGE_ERRORS = _storage_errors()


def unavailable_kind(exception: BaseException | None) -> str:
    """"database", "storage" or "" for an exception (or one it was raised from)."""
    seen = set()
    while exception is not None and id(exception) not in seen:
        seen.add(id(exception))
        if isinstance(exception, DATABASE_ERRORS):
            return "database"
        if isinstance(exception, STORAGE_ERRORS):
            return "storage"
        exception = exception.__cause__ or exception.__context__
    return ""


def unavailable_response(kind: str) -> HttpResponse:
    # The layout's variables that context processors would give (they query the database).
    context = {"kind": kind, "OFFICE": None, "office": None, "DEMO_MODE": False}
    response = HttpResponse(render_to_string("core/unavailable.html", context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "private, no-store"
    return response


class ServiceUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with files_unit() as unit:
            response = self.get_response(request)
            unit.failed = response.status_code >= 500
        return response

    def process_exception(self, request, exception):
        kind = unavailable_kind(exception)
        if not kind:
            return None  # Django's own handling: the 500 page, logged
        logger.error("%s unavailable during %s %s", kind, request.method, request.path,
                     exc_info=exception)
        return unavailable_response(kind)


def server_error(request):
    """handler500: the 503 page for an outage raised outside a view, else the 500 page."""
    kind = unavailable_kind(sys.exc_info()[1])
    if kind:
        return unavailable_response(kind)
    return HttpResponseServerError(render_to_string("500.html"))
