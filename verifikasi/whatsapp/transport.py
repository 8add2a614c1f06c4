"""The WhatsApp Business Cloud API over HTTP: send one template message, check a
webhook's signature. No state here; services decide what a result means."""

import hashlib
import hmac
from dataclasses import dataclass

import httpx
from django.conf import settings

# The request may have reached Meta (the message may be on its way): never
# retried automatically. Everything else either surely did not leave
# (connection refused, connect timeout) or has an HTTP answer.
UNKNOWN_OUTCOME = (httpx.ReadTimeout, httpx.WriteTimeout, httpx.RemoteProtocolError,
                   httpx.ReadError, httpx.WriteError)
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@dataclass
class SendResult:
    outcome: str  # "accepted" | "retry" | "failed" | "uncertain"
    wamid: str = ""
    error: str = ""


def template_payload(*, to: str, template_name: str, language: str,
                     parameters: list[str]) -> dict:
    template = {"name": template_name, "language": {"code": language}}
    if parameters:
        template["components"] = [{
            "type": "body",
            "parameters": [{"type": "text", "text": p} for p in parameters],
        }]
    return {"messaging_product": "whatsapp", "recipient_type": "individual",
            "to": to.lstrip("+"), "type": "template", "template": template}


def _error_text(response: httpx.Response) -> str:
    try:
        error = response.json().get("error") or {}
        detail = f"{error.get('code', '')} {error.get('message', '')}".strip()
    except (ValueError, AttributeError):
        detail = response.text[:300]
    return f"HTTP {response.status_code}: {detail}"[:2000]


def send_template(*, base_url: str, phone_number_id: str, access_token: str,
                  payload: dict) -> SendResult:
    url = f"{base_url.rstrip('/')}/{phone_number_id}/messages"
    try:
        response = httpx.post(url, json=payload, timeout=settings.WHATSAPP_TIMEOUT_SECONDS,
                              headers={"Authorization": f"Bearer {access_token}"})
    except NOT_SENT as e:
        return SendResult("retry", error=f"{type(e).__name__}: {e}"[:2000])
    except UNKNOWN_OUTCOME as e:
        return SendResult("uncertain", error=f"{type(e).__name__}: {e}"[:2000])
    except httpx.HTTPError as e:
        return SendResult("uncertain", error=f"{type(e).__name__}: {e}"[:2000])
    if response.status_code == 429 or response.status_code >= 500:
        return SendResult("retry", error=_error_text(response))
    if response.status_code >= 400:
        return SendResult("failed", error=_error_text(response))
    try:
        wamid = response.json()["messages"][0]["id"]
    except (ValueError, KeyError, IndexError, TypeError):
        return SendResult("uncertain", error=f"HTTP {response.status_code}: no message id")
    return SendResult("accepted", wamid=str(wamid))


def signature_valid(*, app_secret: str, body: bytes, header: str) -> bool:
    """X-Hub-Signature-256 is "sha256=" + hex HMAC-SHA256 of the raw body with the app secret."""
    if not app_secret or not header.startswith("sha256="):
        return False
    expected = "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), header.encode())
