"""A request body that nginx stored to a file and handed over by name (docs/deploy.md § 9).

In the upload location nginx keeps the body on disk (``client_body_in_file_only clean``),
sends the application no body at all (``proxy_pass_request_body off``) and names the file
in ``X-Upload-Body-File``; on every other location it clears that header. The application
believes the header only when

- the socket peer is one of ``TRUSTED_PROXIES`` (a client talking to gunicorn directly
  could otherwise name any file), and
- ``UPLOAD_BODY_DIR`` is set and the name is a plain file inside it: an absolute path with
  no ``..``, no symbolic link anywhere on the way (the real path is the path), a regular
  file opened with ``O_NOFOLLOW``, and
- no body came with the request (a proxy that sends both is misconfigured: the body it
  sent is used, as without nginx).

Otherwise the header is ignored (logged) and the request is handled as if nginx were not
there, so the application works the same with or without this deployment.
"""

import logging
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from verifikasi.accounts.client_ip import peer_is_trusted_proxy

logger = logging.getLogger(__name__)

#: The WSGI name of the ``X-Upload-Body-File`` header nginx sets.
HEADER = "HTTP_X_UPLOAD_BODY_FILE"


@dataclass(frozen=True)
class BodyFile:
    """A body nginx stored: its path (inside UPLOAD_BODY_DIR) and size."""

    path: Path
    size: int


def _folder() -> Path | None:
    folder = getattr(settings, "UPLOAD_BODY_DIR", None)
    return Path(os.path.realpath(folder)) if folder else None


def _plain_file_inside(folder: Path, name: str) -> BodyFile | None:
    if not name.startswith("/") or os.path.normpath(name) != name or "\x00" in name:
        return None
    if os.path.realpath(name) != name:  # a symbolic link on the way
        return None
    path = Path(name)
    if folder not in path.parents:
        return None
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
    finally:
        os.close(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
        return None
    return BodyFile(path, info.st_size)


def handed_body(request) -> BodyFile | None:
    """The stored body nginx named for this request, if it may be believed; else None."""
    name = request.META.get(HEADER)
    if not name:
        return None
    folder = _folder()
    if folder is None:
        logger.warning("X-Upload-Body-File ignored: UPLOAD_BODY_DIR is not set")
        return None
    if not peer_is_trusted_proxy(request):
        logger.warning("X-Upload-Body-File ignored: %s is not in TRUSTED_PROXIES",
                       request.META.get("REMOTE_ADDR"))
        return None
    if request.META.get("CONTENT_LENGTH", "") not in ("", "0") or request.META.get(
            "HTTP_TRANSFER_ENCODING"):
        logger.warning("X-Upload-Body-File ignored: the proxy sent the body too")
        return None
    body = _plain_file_inside(folder, name)
    if body is None:
        logger.warning("X-Upload-Body-File ignored: %r is not a plain file in UPLOAD_BODY_DIR",
                       name)
    return body
