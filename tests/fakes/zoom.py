"""A fake Zoom on loopback: the documented endpoints our client uses, over real HTTP.

It checks what Zoom checks (Basic auth and grant for tokens, Bearer tokens,
the meeting body), keeps meetings and cloud recordings in memory, records
every request for assertions, and can be taken down (connection refused, or
503) and brought back, or made to forget its tokens (a forced 401).

    def test_x(fake_zoom):          # ZOOM_API_URL / ZOOM_OAUTH_URL point here
        fake_zoom.calls("POST", "/v2/users/")
"""

import base64
import json
import re
import secrets
import threading
import time
import zoneinfo
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

ACCOUNT_ID = "fake-account-id"
CLIENT_ID = "fake-client-id"
CLIENT_SECRET = "fake-client-secret"
START_TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
PASSWORD_RE = re.compile(r"^[A-Za-z0-9@\-_*]{1,10}$")


@dataclass
class Call:
    method: str
    path: str
    query: dict
    headers: dict  # lower-case names
    body: bytes
    status: int = 0

    @property
    def json(self):
        return json.loads(self.body) if self.body else None


@dataclass
class FakeMeeting:
    id: int
    uuid: str
    body: dict
    password: str
    patches: list = field(default_factory=list)
    deleted: bool = False
    join_url: str = ""


class FakeZoom:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests: list[Call] = []
        self.tokens: dict[str, float] = {}  # access token -> expiry (epoch seconds)
        self.download_tokens: set[str] = set()
        self.meetings: dict[str, FakeMeeting] = {}
        self.recordings: dict[str, list[dict]] = {}  # meeting id -> recording_files
        self.files: dict[str, tuple[bytes, str]] = {}  # file id -> (bytes, signature)
        self.token_lifetime = 3600
        self.status_override: int | None = None
        self.reject_all_tokens = False  # every Bearer token is refused, even a new one
        self.server: ThreadingHTTPServer | None = None
        self.port = 0

    # --- lifecycle ------------------------------------------------------------

    def start(self):
        fake = self

        class Handler(_Handler):
            zoom = fake

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                         name="fake-zoom", daemon=True).start()

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def go_down(self, *, status: int | None = None):
        """Refuse connections (default), or answer every request with ``status`` (e.g. 503)."""
        if status is None:
            self.stop()
        else:
            self.status_override = status

    def come_back(self):
        self.status_override = None
        if self.server is None:
            self.start()  # same port

    def revoke_tokens(self):
        """Every access token issued so far is refused from now on (a forced 401)."""
        with self.lock:
            self.tokens.clear()

    # --- test helpers ----------------------------------------------------------

    def calls(self, method: str | None = None, path_prefix: str = "") -> list[Call]:
        with self.lock:
            return [c for c in self.requests
                    if (method is None or c.method == method) and c.path.startswith(path_prefix)]

    def token_requests(self) -> list[Call]:
        return self.calls("POST", "/oauth/token")

    def finish_meeting(self, meeting_id, mp4: bytes, *, start="2026-12-01T02:00:05Z",
                       end="2026-12-01T02:24:40Z") -> list[dict]:
        """The call ended and Zoom has processed its cloud recording: one MP4 (the
        video), plus an audio-only M4A and a chat file that we must not take."""
        meeting_id = str(meeting_id)
        files = []
        for file_type, ext, recording_type, data in (
            ("MP4", "MP4", "shared_screen_with_speaker_view", mp4),
            ("M4A", "M4A", "audio_only", b"\x00\x00\x00\x18ftypM4A " + b"\x00" * 64),
            ("CHAT", "TXT", "chat_file", b"10:00:01 From Budi: Selamat pagi\n"),
        ):
            file_id = secrets.token_hex(16)
            self.files[file_id] = (data, secrets.token_urlsafe(16))
            files.append({
                "id": file_id,
                "meeting_id": self.meetings[meeting_id].uuid if meeting_id in self.meetings
                else meeting_id,
                "recording_start": start,
                "recording_end": end,
                "file_type": file_type,
                "file_extension": ext,
                "file_size": len(data),
                "play_url": f"{self.url}/rec/play/{file_id}",
                "download_url": f"{self.url}/rec/download/{file_id}",
                "status": "completed",
                "recording_type": recording_type,
            })
        with self.lock:
            self.recordings[meeting_id] = files
        return files

    def recording_completed_event(self, meeting_id) -> dict:
        """The body Zoom posts to the webhook once the recording is ready."""
        meeting_id = str(meeting_id)
        download_token = secrets.token_urlsafe(32)
        with self.lock:
            self.download_tokens.add(download_token)
            files = list(self.recordings[meeting_id])
        meeting = self.meetings.get(meeting_id)
        return {
            "event": "recording.completed",
            "event_ts": int(time.time() * 1000),
            "payload": {
                "account_id": ACCOUNT_ID,
                "object": {
                    "id": int(meeting_id),
                    "uuid": meeting.uuid if meeting else "unknown==",
                    "host_id": "host-user-id",
                    "topic": meeting.body.get("topic", "") if meeting else "",
                    "type": 2,
                    "start_time": files[0]["recording_start"] if files else "",
                    "duration": 25,
                    "total_size": sum(f["file_size"] for f in files),
                    "recording_count": len(files),
                    "recording_files": files,
                },
            },
            "download_token": download_token,
        }

    def file_bytes(self, file_id: str) -> bytes:
        return self.files[file_id][0]

    # --- the API -------------------------------------------------------------

    def handle(self, call: Call) -> tuple[int, dict, bytes]:
        if self.status_override:
            return _json(self.status_override, {"code": self.status_override,
                                                "message": "Service unavailable"})
        path = call.path
        if call.method == "POST" and path == "/oauth/token":
            return self._token(call)
        if path.startswith("/v2/"):
            if not self._bearer_ok(call):
                return _json(401, {"code": 124, "message": "Invalid access token."})
            return self._api(call)
        if call.method == "GET" and path.startswith("/rec/download/"):
            return self._download(call, path.removeprefix("/rec/download/"))
        if call.method == "GET" and path.startswith("/rec/play/"):
            return self._file(call, path.removeprefix("/rec/play/"))
        return _json(404, {"code": 404, "message": "Not found"})

    def _token(self, call: Call):
        auth = call.headers.get("authorization", "")
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if auth != f"Basic {expected}":
            return _json(400, {"reason": "Invalid client_id or client_secret",
                               "error": "invalid_client"})
        if call.query.get("grant_type") != "account_credentials":
            return _json(400, {"reason": "Unsupported grant type",
                               "error": "unsupported_grant_type"})
        if call.query.get("account_id") != ACCOUNT_ID:
            return _json(400, {"reason": "Invalid account_id", "error": "invalid_request"})
        token = secrets.token_urlsafe(32)
        with self.lock:
            self.tokens[token] = time.time() + self.token_lifetime
        return _json(200, {"access_token": token, "token_type": "bearer",
                           "expires_in": self.token_lifetime,
                           "scope": "meeting:write:meeting:admin "
                                    "cloud_recording:read:list_recording_files:admin"})

    def _bearer(self, call: Call) -> str:
        auth = call.headers.get("authorization", "")
        return auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else ""

    def _bearer_ok(self, call: Call) -> bool:
        token = self._bearer(call)
        if self.reject_all_tokens:
            return False
        with self.lock:
            return token in self.tokens and self.tokens[token] > time.time()

    def _api(self, call: Call):
        parts = call.path.strip("/").split("/")
        if call.method == "POST" and len(parts) == 4 and parts[1] == "users" \
                and parts[3] == "meetings":
            return self._create(call)
        if call.method == "GET" and len(parts) == 4 and parts[1] == "users" \
                and parts[3] == "meetings":
            return self._list(call)
        if len(parts) >= 3 and parts[1] == "meetings":
            meeting = self.meetings.get(parts[2])
            if meeting is None or meeting.deleted:
                code = 3301 if parts[-1] == "recordings" else 3001
                return _json(404, {"code": code, "message": f"Meeting does not exist: {parts[2]}."})
            if len(parts) == 4 and parts[3] == "recordings" and call.method == "GET":
                files = self.recordings.get(parts[2])
                if not files:
                    return _json(404, {"code": 3301, "message": "This recording does not exist."})
                return _json(200, {"uuid": meeting.uuid, "id": meeting.id,
                                   "recording_files": files})
            if len(parts) == 3 and call.method == "PATCH":
                error = _validate(call.json or {}, partial=True)
                if error:
                    return _json(400, {"code": 300, "message": error})
                meeting.patches.append(call.json)
                meeting.body.update(call.json)
                return 204, {}, b""
            if len(parts) == 3 and call.method == "GET":
                return _json(200, self._meeting_json(meeting))
            if len(parts) == 3 and call.method == "DELETE":
                meeting.deleted = True
                return 204, {}, b""
        return _json(404, {"code": 404, "message": "Not found"})

    def _create(self, call: Call):
        body = call.json or {}
        error = _validate(body, partial=False)
        if error:
            return _json(400, {"code": 300, "message": error})
        meeting_id = secrets.randbelow(9 * 10**10) + 10**10  # 11 digits, like Zoom's
        meeting = FakeMeeting(id=meeting_id, uuid=base64.b64encode(secrets.token_bytes(16))
                              .decode(), body=body, password=body.get("password", ""))
        meeting.join_url = f"https://fake.zoom.test/j/{meeting_id}?pwd={secrets.token_hex(8)}"
        with self.lock:
            self.meetings[str(meeting_id)] = meeting
        return _json(201, {**self._meeting_json(meeting),
                           "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})

    def _list(self, call: Call):
        """GET /v2/users/{user}/meetings: scheduled, not deleted; Zoom shows the
        first 250 characters of each agenda in this list."""
        with self.lock:
            listed = [m for m in self.meetings.values() if not m.deleted]
        meetings = [{"id": m.id, "uuid": m.uuid, "host_id": "host-user-id", "type": 2,
                     "topic": m.body.get("topic", ""), "start_time": m.body.get("start_time"),
                     "duration": m.body.get("duration"), "timezone": m.body.get("timezone"),
                     "agenda": str(m.body.get("agenda", ""))[:250],
                     "join_url": m.join_url} for m in listed]
        return _json(200, {"page_size": 300, "total_records": len(meetings),
                           "next_page_token": "", "meetings": meetings})

    def _meeting_json(self, meeting: FakeMeeting) -> dict:
        return {**meeting.body, "id": meeting.id, "uuid": meeting.uuid,
                "host_id": "host-user-id", "join_url": meeting.join_url,
                "start_url": f"https://fake.zoom.test/s/{meeting.id}?zak={secrets.token_urlsafe(40)}",
                "password": meeting.password}

    def _download(self, call: Call, file_id: str):
        token = self._bearer(call) or call.query.get("access_token", "")
        with self.lock:
            allowed = (token in self.download_tokens
                       or (token in self.tokens and self.tokens[token] > time.time()))
        if not allowed:
            return _json(401, {"code": 124, "message": "Invalid access token."})
        if file_id not in self.files:
            return _json(404, {"code": 3301, "message": "File does not exist."})
        return 302, {"Location": f"/rec/play/{file_id}?sig={self.files[file_id][1]}"}, b""

    def _file(self, call: Call, file_id: str):
        data, signature = self.files.get(file_id, (b"", None))
        if signature is None or call.query.get("sig") != signature:
            return 403, {"Content-Type": "text/plain"}, b"Forbidden"
        return 200, {"Content-Type": "video/mp4"}, data


def _validate(body: dict, *, partial: bool) -> str:
    """What Zoom's API would refuse, as its error message (empty if fine)."""
    required = () if partial else ("topic", "type", "start_time", "duration")
    for name in required:
        if name not in body:
            return f"Missing field: {name}."
    if "type" in body and body["type"] != 2:
        return "Invalid meeting type (a scheduled meeting is type 2)."
    if "start_time" in body and not START_TIME_RE.match(str(body["start_time"])):
        return "Invalid field: start_time (yyyy-MM-ddTHH:mm:ssZ)."
    if "duration" in body and (not isinstance(body["duration"], int)
                               or not 1 <= body["duration"] <= 1440):
        return "Invalid field: duration."
    if "password" in body and not PASSWORD_RE.match(str(body["password"])):
        return "Invalid field: password (at most 10 characters of [a-zA-Z0-9@-_*])."
    if "topic" in body and len(str(body["topic"])) > 200:
        return "Invalid field: topic (at most 200 characters)."
    if "timezone" in body:
        try:
            zoneinfo.ZoneInfo(body["timezone"])
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return "Invalid field: timezone."
    if "settings" in body and not isinstance(body["settings"], dict):
        return "Invalid field: settings."
    return ""


def _json(status: int, data: dict) -> tuple[int, dict, bytes]:
    return status, {"Content-Type": "application/json;charset=UTF-8"}, json.dumps(data).encode()


class _Handler(BaseHTTPRequestHandler):
    zoom: FakeZoom

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def _serve(self):
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        call = Call(
            method=self.command, path=parts.path,
            query={k: v[0] for k, v in parse_qs(parts.query).items()},
            headers={k.lower(): v for k, v in self.headers.items()}, body=body,
        )
        status, headers, payload = self.zoom.handle(call)
        call.status = status
        with self.zoom.lock:
            self.zoom.requests.append(call)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if payload:
            self.wfile.write(payload)

    do_GET = do_POST = do_PATCH = do_DELETE = _serve


@pytest.fixture
def fake_zoom(settings):
    """A running fake Zoom; the app's Zoom client talks to it."""
    server = FakeZoom()
    server.start()
    settings.ZOOM_API_URL = server.url
    settings.ZOOM_OAUTH_URL = server.url
    yield server
    server.stop()
