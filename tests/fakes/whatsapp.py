"""A fake WhatsApp Business Cloud API on loopback, over real HTTP.

It serves ``POST /v21.0/<phone-number-id>/messages`` as Meta documents it: a
Bearer token, a JSON body with ``messaging_product: "whatsapp"`` and a
``template`` (name, language code, body parameters), answered with
``{"messages": [{"id": "wamid...."}]}``. It records every request, can answer
the next requests with an error status (``fail_next``) or stall longer than the
client waits (``stall_next``), and builds the signed status webhooks Meta sends.

    def test_x(fake_whatsapp, office):
        fake_whatsapp.configure(office)     # the office's settings point here
        fake_whatsapp.sent()                # the template messages received
"""

import hashlib
import hmac
import json
import secrets
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

PHONE_NUMBER_ID = "109876543210987"
ACCESS_TOKEN = "EAAGfakeAccessToken0123456789"
APP_SECRET = "f4k3appS3cr3t0123456789abcdef00"
VERIFY_TOKEN = "verifikasi-daring-verify"


@dataclass
class Call:
    method: str
    path: str
    headers: dict
    body: bytes
    status: int = 0

    @property
    def json(self):
        return json.loads(self.body) if self.body else None


class FakeWhatsApp:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests: list[Call] = []
        self.failures: list[int] = []  # statuses for the next requests, in order
        self.stalls = 0  # the next requests get no answer for stall_seconds
        self.stall_seconds = 3.0
        self.server: ThreadingHTTPServer | None = None

    def start(self):
        fake = self

        class Handler(_Handler):
            whatsapp = fake

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v21.0"

    def configure(self, office, **extra):
        from verifikasi.whatsapp.models import WhatsAppSettings

        values = {"enabled": True, "phone_number_id": PHONE_NUMBER_ID,
                  "access_token": ACCESS_TOKEN, "app_secret": APP_SECRET,
                  "verify_token": VERIFY_TOKEN, "api_base_url": self.url, **extra}
        return WhatsAppSettings.objects.update_or_create(office=office, defaults=values)[0]

    def fail_next(self, *statuses: int):
        self.failures.extend(statuses)

    def stall_next(self, count: int = 1):
        self.stalls += count

    def sent(self) -> list[Call]:
        """The message requests that were accepted (answered 200)."""
        return [c for c in self.requests if c.status == 200]

    # --- the API --------------------------------------------------------------

    def handle(self, call: Call) -> tuple[int, dict]:
        with self.lock:
            stall = self.stalls > 0
            self.stalls -= int(stall)
            failure = self.failures.pop(0) if self.failures else None
        if stall:
            time.sleep(self.stall_seconds)
        if call.method != "POST" or call.path != f"/v21.0/{PHONE_NUMBER_ID}/messages":
            return 404, _error(100, "Unsupported post request.")
        if call.headers.get("authorization") != f"Bearer {ACCESS_TOKEN}":
            return 401, _error(190, "Invalid OAuth access token.")
        if failure is not None:
            return failure, _error(131000, "Something went wrong.")
        problem = _validate(call.json if call.body else None)
        if problem:
            return 400, _error(100, problem)
        body = call.json
        return 200, {"messaging_product": "whatsapp",
                     "contacts": [{"input": body["to"], "wa_id": body["to"]}],
                     "messages": [{"id": "wamid." + secrets.token_urlsafe(24)}]}

    # --- webhooks -------------------------------------------------------------

    @staticmethod
    def status_event(wamid: str, status: str, *, recipient: str = "6281234567890",
                     errors: list | None = None) -> dict:
        item = {"id": wamid, "status": status, "timestamp": str(int(time.time())),
                "recipient_id": recipient}
        if errors:
            item["errors"] = errors
        return {"object": "whatsapp_business_account", "entry": [{
            "id": "102290129340398",
            "changes": [{"field": "messages", "value": {
                "messaging_product": "whatsapp",
                "metadata": {"display_phone_number": "15550783881",
                             "phone_number_id": PHONE_NUMBER_ID},
                "statuses": [item]}}]}]}

    @staticmethod
    def sign(body: bytes, secret: str = APP_SECRET) -> str:
        return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _validate(body) -> str:
    if not isinstance(body, dict) or body.get("messaging_product") != "whatsapp":
        return "(#100) The parameter messaging_product is required."
    if not str(body.get("to", "")).isdigit():
        return "(#100) Invalid parameter: to."
    template = body.get("template")
    if body.get("type") != "template" or not isinstance(template, dict):
        return "(#100) Only template messages may start a conversation."
    if not template.get("name") or not (template.get("language") or {}).get("code"):
        return "(#100) template.name and template.language.code are required."
    for component in template.get("components", []):
        for parameter in component.get("parameters", []):
            if parameter.get("type") != "text" or not str(parameter.get("text", "")).strip():
                return "(#131008) Parameter text may not be empty."
    return ""


def _error(code: int, message: str) -> dict:
    return {"error": {"message": message, "type": "OAuthException", "code": code,
                      "fbtrace_id": "AbCdEf"}}


class _Handler(BaseHTTPRequestHandler):
    whatsapp: FakeWhatsApp

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def _serve(self):
        length = int(self.headers.get("Content-Length") or 0)
        call = Call(method=self.command, path=urlsplit(self.path).path,
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=self.rfile.read(length) if length else b"")
        with self.whatsapp.lock:  # recorded on arrival, even if never answered
            self.whatsapp.requests.append(call)
        status, data = self.whatsapp.handle(call)
        call.status = status
        payload = json.dumps(data).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped waiting (a stalled answer)

    do_GET = do_POST = _serve


@pytest.fixture
def fake_whatsapp(settings):
    """A running fake Cloud API; ``configure(office)`` points an office at it."""
    server = FakeWhatsApp()
    server.start()
    settings.WHATSAPP_TIMEOUT_SECONDS = 1
    yield server
    server.stop()
