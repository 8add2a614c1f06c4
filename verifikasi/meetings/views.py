"""Zoom's webhook, and the staff's access to call recordings."""

import json
import logging
import re
import time

from django.contrib.auth.decorators import login_required
from django.http import (
    FileResponse,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
    StreamingHttpResponse,
)
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from verifikasi.core.http import private_file

from . import recordings
from .models import EXTENSIONS, Recording
from .providers.zoom import url_validation_token
from .selectors import recording_for_staff, zoom_webhook_settings
from .viewings import recording_viewing_log

logger = logging.getLogger(__name__)

STREAM_CHUNK = 256 * 1024
RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")


@csrf_exempt
@require_POST
def zoom_webhook(request):
    """Zoom's event notifications, signed with the office's secret token.

    401 for a bad signature or a stale timestamp, 400 for a body that is not
    JSON, 200 for everything Zoom should not send again (including meetings we
    do not know), 503 only when we could not queue the work, so Zoom retries.
    """
    body = request.body
    meeting_settings = zoom_webhook_settings(
        body=body, timestamp=request.headers.get("x-zm-request-timestamp", ""),
        signature=request.headers.get("x-zm-signature", ""), now=time.time())
    if meeting_settings is None:
        return HttpResponse("invalid signature", status=401, content_type="text/plain")
    try:
        event = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return HttpResponseBadRequest("malformed JSON", content_type="text/plain")
    if not isinstance(event, dict):
        return HttpResponseBadRequest("malformed event", content_type="text/plain")
    payload = event.get("payload") if isinstance(event.get("payload"), dict) else {}
    name = event.get("event")
    if name == "endpoint.url_validation":
        plain = payload.get("plainToken")
        if not isinstance(plain, str) or not plain:
            return HttpResponseBadRequest("plainToken missing", content_type="text/plain")
        return JsonResponse({"plainToken": plain, "encryptedToken": url_validation_token(
            meeting_settings.zoom_webhook_secret_token, plain)})
    if name == "recording.completed":
        token = event.get("download_token")
        try:
            result = recordings.zoom_recording_completed(
                office=meeting_settings.office, payload=payload,
                download_token=token if isinstance(token, str) else "")
        except Exception:
            logger.exception("zoom webhook: could not queue the recording download")
            return HttpResponse("try again later", status=503, content_type="text/plain")
        return JsonResponse({"status": result})
    return JsonResponse({"status": "ignored"})


def _filename(recording: Recording) -> str:
    ext = EXTENSIONS.get(recording.content_type, "bin")
    when = timezone.localtime(recording.recorded_start or recording.created_at)
    return f"rekaman-verifikasi-{recording.registration.code}-{when:%Y%m%d-%H%M}.{ext}"


@login_required
@require_GET
@never_cache
def recording_download(request, code):
    """Download a call recording (office staff only; audited)."""
    recording = recording_for_staff(request.user, code)
    recordings.recording_access_log(recording=recording, actor=request.user, request=request,
                                  action="recording.downloaded")
    return private_file(FileResponse(recording.file.open("rb"), as_attachment=True,
                                 filename=_filename(recording),
                                 content_type=recording.content_type))


def _byte_range(header: str, size: int):
    """(start, end) of a single "bytes=a-b" range, None for no range, False if unsatisfiable."""
    match = RANGE_RE.match(header.strip()) if header else None
    if match is None:
        return None  # absent or a form we do not serve: the whole file
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        length = int(last)
        if length == 0:
            return False
        return max(size - length, 0), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        return False
    return start, end


def _read_range(fh, start: int, length: int):
    try:
        fh.seek(start)
        while length > 0:
            chunk = fh.read(min(STREAM_CHUNK, length))
            if not chunk:
                break
            length -= len(chunk)
            yield chunk
    finally:
        fh.close()


@login_required
@require_GET
@never_cache
def recording_stream(request, code):
    """Play a call recording in the browser, with byte ranges for seeking.

    The audit event is written once per viewing (see ``viewings``), whatever
    range starts it, not for every range the player asks for while seeking.
    """
    recording = recording_for_staff(request.user, code)
    size = recording.size
    byte_range = _byte_range(request.headers.get("Range", ""), size)
    if byte_range is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return private_file(response)
    # Any request, from any byte, may begin a viewing (a player resuming at
    # minute 12 never asks for byte 0): viewings.py audits one per viewing.
    recording_viewing_log(recording=recording, actor=request.user, request=request)
    fh = recording.file.open("rb")
    if byte_range is None:
        response = FileResponse(fh, content_type=recording.content_type,
                                filename=_filename(recording))
    else:
        start, end = byte_range
        response = StreamingHttpResponse(_read_range(fh, start, end - start + 1), status=206,
                                         content_type=recording.content_type)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
        response["Content-Disposition"] = f'inline; filename="{_filename(recording)}"'
    response["Accept-Ranges"] = "bytes"
    return private_file(response)
