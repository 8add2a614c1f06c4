"""Zoom through its REST API with Server-to-Server OAuth.

The office creates a Server-to-Server OAuth app in its Zoom account (Zoom
admin) and grants it the scopes to create, update and delete meetings and to
read cloud recordings (in the current scope names
``meeting:write:meeting:admin``, ``meeting:update:meeting:admin``,
``meeting:delete:meeting:admin``, ``meeting:read:meeting:admin`` and
``cloud_recording:read:list_recording_files:admin``; the older app type calls
them ``meeting:write:admin`` and ``recording:read:admin``). For the webhook it
subscribes to ``recording.completed`` and copies the secret token into the
office's settings.

The access token lives in the shared cache until shortly before it expires,
so every worker reuses it; an API call answered 401 gets a new token and is
tried once more. Base URLs come from ``ZOOM_API_URL`` and ``ZOOM_OAUTH_URL``.
"""

import hashlib
import hmac
import secrets
import string
from datetime import UTC
from urllib.parse import quote, urlsplit

import httpx
from django.conf import settings
from django.core.cache import cache

from .base import BaseProvider, MeetingInfo, ProviderError, RecordingFile

TIMEOUT = httpx.Timeout(20.0, connect=10.0)
# Per read, not in all: a long recording takes as long as it takes.
DOWNLOAD_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
DOWNLOAD_CHUNK = 1024 * 1024
TOKEN_MARGIN_SECONDS = 300
PASSWORD_ALPHABET = string.ascii_letters + string.digits
PASSWORD_LENGTH = 10  # Zoom's maximum
AGENDA = (
    "Verifikasi dokumen asli Pelaku Usaha secara daring. Siapkan dan pegang dokumen asli; "
    "video call ini direkam sebagai bukti pelaksanaan verifikasi."
)
ERR_NO_CREDENTIALS = (
    "Kredensial Zoom kantor ini belum lengkap (Account ID, Client ID, Client Secret). "
    "Admin LPSE dapat mengisinya di Pengaturan video call."
)
ERR_CREDENTIALS_REFUSED = (
    "Zoom menolak kredensial aplikasi Server-to-Server OAuth kantor ini (HTTP {status}: "
    "{detail}). Periksa Account ID, Client ID, Client Secret dan apakah aplikasi sudah aktif."
)
ERR_ACCESS_REFUSED = (
    "Zoom menolak token akses yang baru diterbitkan (HTTP 401). Periksa scope aplikasi Zoom."
)
# Our meeting's code in the Zoom agenda: how a later run finds a meeting an earlier
# one created (Zoom has no idempotency key). Zoom's meeting list shows the first
# 250 characters of the agenda, so it comes right after the fixed text.
REFERENCE = "Ref: {code}"
LIST_PAGE_SIZE = 300
LIST_MAX_PAGES = 10
ERR_UNREACHABLE = "Zoom tidak dapat dihubungi: {error}"
ERR_STATUS = "Zoom menjawab HTTP {status}: {detail}"
ERR_MEETING_GONE = "Rapat Zoom {id} tidak ditemukan lagi di Zoom (sudah dihapus di Zoom?)."
ERR_DOWNLOAD_HOST = "Alamat unduhan rekaman bukan alamat Zoom: {url}"


def new_password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))


def zoom_time(value) -> str:
    """UTC, as Zoom wants it: yyyy-MM-ddTHH:mm:ssZ."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _detail(response: httpx.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return response.text[:200] or response.reason_phrase
    if isinstance(data, dict):
        message = data.get("message") or data.get("reason") or data.get("error") or ""
        code = data.get("code")
        return f"{message} (kode {code})" if code is not None else str(message)
    return str(data)[:200]


def _status_error(response: httpx.Response) -> ProviderError:
    retryable = response.status_code == 429 or response.status_code >= 500
    return ProviderError(ERR_STATUS.format(status=response.status_code,
                                           detail=_detail(response)), retryable=retryable)


def _unreachable(error: Exception) -> ProviderError:
    return ProviderError(ERR_UNREACHABLE.format(error=f"{type(error).__name__}: {error}"),
                         retryable=True)


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc.lower()


class ZoomProvider(BaseProvider):
    name = "zoom"
    supports_cloud_recording = True

    # --- access token -------------------------------------------------------

    def _cache_key(self) -> str:
        s = self.settings
        # A changed credential gets its own entry (the old token is not reused).
        fingerprint = hashlib.sha256(
            f"{s.zoom_account_id}:{s.zoom_client_id}:{s.zoom_client_secret}".encode()
        ).hexdigest()[:24]
        return f"meetings:zoom-token:{s.office_id}:{fingerprint}"

    def _token(self, client: httpx.Client, *, renew: bool = False) -> str:
        key = self._cache_key()
        if renew:
            cache.delete(key)
        else:
            token = cache.get(key)
            if token:
                return token
        s = self.settings
        if not (s.zoom_account_id and s.zoom_client_id and s.zoom_client_secret):
            raise ProviderError(ERR_NO_CREDENTIALS, retryable=False)
        try:
            response = client.post(
                f"{settings.ZOOM_OAUTH_URL}/oauth/token",
                params={"grant_type": "account_credentials", "account_id": s.zoom_account_id},
                auth=(s.zoom_client_id, s.zoom_client_secret),
            )
        except httpx.HTTPError as e:
            raise _unreachable(e) from e
        if response.status_code in (400, 401, 403):
            raise ProviderError(ERR_CREDENTIALS_REFUSED.format(
                status=response.status_code, detail=_detail(response)), retryable=False)
        if response.status_code != 200:
            raise _status_error(response)
        try:
            data = response.json()
            token = data["access_token"]
            expires_in = int(data.get("expires_in", 3600))
        except (ValueError, KeyError, TypeError) as e:
            raise ProviderError(ERR_STATUS.format(status=200, detail="token tidak terbaca"),
                                retryable=True) from e
        cache.set(key, token, timeout=max(expires_in - TOKEN_MARGIN_SECONDS, 30))
        return token

    def _call(self, method: str, path: str, *, json: dict | None = None) -> httpx.Response:
        """One API call; answered 401, it is tried once more with a new token."""
        url = f"{settings.ZOOM_API_URL}{path}"
        with httpx.Client(timeout=TIMEOUT) as client:
            for renew in (False, True):
                token = self._token(client, renew=renew)
                try:
                    response = client.request(
                        method, url, json=json, headers={"Authorization": f"Bearer {token}"})
                except httpx.HTTPError as e:
                    raise _unreachable(e) from e
                if response.status_code != 401:
                    return response
        raise ProviderError(ERR_ACCESS_REFUSED, retryable=False)

    # --- meetings -----------------------------------------------------------

    def _schedule_fields(self, meeting) -> dict:
        return {
            "topic": meeting.topic[:200],
            "start_time": zoom_time(meeting.start_at),
            "timezone": meeting.office.timezone,
            "duration": meeting.duration_minutes,
            "agenda": f"{AGENDA}\n{REFERENCE.format(code=meeting.code)}",
        }

    def _user(self) -> str:
        return quote(self.settings.zoom_user_id.strip() or "me", safe="@")

    def _info(self, data: dict, password: str = "") -> MeetingInfo:
        return MeetingInfo(
            external_id=str(data["id"]),
            join_url=data["join_url"],
            host_url=data.get("start_url", ""),
            password=str(data.get("password") or password),
        )

    def find(self, meeting) -> MeetingInfo | None:
        """The host's upcoming meeting whose agenda carries our meeting's code, if any."""
        reference = REFERENCE.format(code=meeting.code)
        token = ""
        for _ in range(LIST_MAX_PAGES):
            query = f"type=upcoming&page_size={LIST_PAGE_SIZE}"
            if token:
                query += f"&next_page_token={quote(token)}"
            response = self._call("GET", f"/v2/users/{self._user()}/meetings?{query}")
            if response.status_code != 200:
                raise _status_error(response)
            try:
                data = response.json()
                listed = [m for m in data.get("meetings") or [] if isinstance(m, dict)]
            except (ValueError, AttributeError) as e:
                raise ProviderError(ERR_STATUS.format(status=200, detail="jawaban tidak terbaca"),
                                    retryable=True) from e
            match = next((m for m in listed if reference in str(m.get("agenda") or "")), None)
            if match is not None:
                return self._get(str(match.get("id")))
            token = data.get("next_page_token") or ""
            if not token:
                return None
        return None

    def _get(self, external_id: str) -> MeetingInfo:
        response = self._call("GET", f"/v2/meetings/{quote(external_id)}")
        if response.status_code != 200:
            raise _status_error(response)
        try:
            return self._info(response.json())
        except (ValueError, KeyError, TypeError) as e:
            raise ProviderError(ERR_STATUS.format(status=200, detail="jawaban tidak terbaca"),
                                retryable=True) from e

    def create(self, meeting) -> MeetingInfo:
        password = new_password()
        body = {
            **self._schedule_fields(meeting),
            "type": 2,  # scheduled
            "password": password,
            "settings": {
                "auto_recording": "cloud",  # spec C.5: the call is recorded
                "waiting_room": True,
                "join_before_host": False,
                "host_video": True,
                "participant_video": True,
            },
        }
        response = self._call("POST", f"/v2/users/{self._user()}/meetings", json=body)
        if response.status_code not in (200, 201):
            raise _status_error(response)
        try:
            return self._info(response.json(), password)
        except (ValueError, KeyError, TypeError) as e:
            raise ProviderError(ERR_STATUS.format(status=response.status_code,
                                                  detail="jawaban tidak terbaca"),
                                retryable=True) from e

    def update(self, meeting) -> None:
        response = self._call("PATCH", f"/v2/meetings/{quote(meeting.external_id)}",
                              json=self._schedule_fields(meeting))
        if response.status_code == 404:
            raise ProviderError(ERR_MEETING_GONE.format(id=meeting.external_id),
                                retryable=False)
        if response.status_code not in (200, 204):
            raise _status_error(response)
        return None

    def delete(self, meeting) -> None:
        if not meeting.external_id:
            return
        response = self._call("DELETE", f"/v2/meetings/{quote(meeting.external_id)}")
        if response.status_code not in (200, 204, 404):  # 404: already gone, as wanted
            raise _status_error(response)

    # --- cloud recordings -----------------------------------------------------

    def list_recordings(self, meeting) -> list[RecordingFile]:
        response = self._call("GET", f"/v2/meetings/{quote(meeting.external_id)}/recordings")
        if response.status_code == 404:  # nothing recorded (yet)
            return []
        if response.status_code != 200:
            raise _status_error(response)
        try:
            files = response.json().get("recording_files") or []
        except (ValueError, AttributeError) as e:
            raise ProviderError(ERR_STATUS.format(status=200, detail="jawaban tidak terbaca"),
                                retryable=True) from e
        return [recording_file_from_zoom(f) for f in files if isinstance(f, dict)]

    def check_download_url(self, url: str) -> None:
        """Only Zoom gets a Zoom token: its own hosts, or the configured API origin."""
        scheme, host = _origin(url)
        zoom_host = scheme == "https" and (host == "zoom.us" or host.endswith(".zoom.us"))
        configured = (scheme, host) in {_origin(settings.ZOOM_API_URL),
                                         _origin(settings.ZOOM_OAUTH_URL)}
        if not (zoom_host or configured):
            raise ProviderError(ERR_DOWNLOAD_HOST.format(url=url[:200]), retryable=False)

    def download(self, recording_file: RecordingFile, dest, *, token: str | None = None) -> None:
        """Stream the file into ``dest`` in chunks, following Zoom's redirect.

        The webhook's download token is tried first; without one, or once it
        has expired (24 h), the app's own access token (renewed once on 401).
        httpx drops the Authorization header when a redirect leaves the origin.
        """
        self.check_download_url(recording_file.download_url)
        with httpx.Client(timeout=DOWNLOAD_TIMEOUT, follow_redirects=True) as client:
            bearers = [lambda: token] if token else []
            bearers += [lambda: self._token(client), lambda: self._token(client, renew=True)]
            for bearer in bearers:
                try:
                    with client.stream("GET", recording_file.download_url,
                                       headers={"Authorization": f"Bearer {bearer()}"}) as r:
                        if r.status_code == 401:
                            continue
                        if r.status_code != 200:
                            r.read()  # a short error body, for the message
                            raise _status_error(r)
                        for chunk in r.iter_bytes(DOWNLOAD_CHUNK):
                            dest.write(chunk)
                        return
                except httpx.HTTPError as e:
                    raise _unreachable(e) from e
        raise ProviderError(ERR_ACCESS_REFUSED, retryable=False)


def recording_file_from_zoom(data: dict) -> RecordingFile:
    size = data.get("file_size")
    return RecordingFile(
        external_file_id=str(data.get("id") or ""),
        file_type=str(data.get("file_type") or ""),
        download_url=str(data.get("download_url") or ""),
        size=int(size) if isinstance(size, int | float) else None,
        status=str(data.get("status") or ""),
        recording_start=str(data.get("recording_start") or ""),
        recording_end=str(data.get("recording_end") or ""),
        recording_type=str(data.get("recording_type") or ""),
    )


# --- webhooks -----------------------------------------------------------------


def webhook_signature(secret_token: str, timestamp: str, body: bytes) -> str:
    """Zoom's x-zm-signature: v0= + hex HMAC-SHA256 of "v0:{timestamp}:{body}"."""
    message = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret_token.encode(), message, hashlib.sha256).hexdigest()


def url_validation_token(secret_token: str, plain_token: str) -> str:
    """The encryptedToken Zoom expects when it validates the endpoint URL."""
    return hmac.new(secret_token.encode(), plain_token.encode(), hashlib.sha256).hexdigest()
