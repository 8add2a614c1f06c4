"""An HTTP user of the app: a session (cookies, CSRF), the real HTML forms parsed from each
page, and a record of every answer that was not what a working system gives.

``Browser.form(page, ...)`` finds a form the way a person would (by a button's text or the
form's action), keeps the values the page filled in, and ``submit`` posts it with the
CSRF token the page carried. Nothing here knows the app's internals.
"""

import re
import threading
import time
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urljoin

import httpx

CLEAR = re.compile(r'class="[^"]*\b(msg-error|errorlist|msg-warning)\b')


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str, str, bool]] = field(default_factory=list)  # name,value,type,on
    buttons: list[tuple[str, str, str]] = field(default_factory=list)  # name, value, text
    selects: dict[str, list[str]] = field(default_factory=dict)
    text: str = ""

    def values(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for name, value, kind, on in self.fields:
            if kind in ("checkbox", "radio") and not on:
                continue
            if kind in ("submit", "button", "file", "image", "reset"):
                continue
            out.setdefault(name, []).append(value)
        return out

    def options(self, name: str) -> list[str]:
        """The values a radio/checkbox group or a select offers."""
        found = [v for n, v, kind, _ in self.fields if n == name and kind in ("radio",
                                                                              "checkbox")]
        return found or self.selects.get(name, [])


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.select: str | None = None
        self.textarea: tuple[str, list[str]] | None = None
        self.button: list | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self.current = Form(a.get("action", ""), a.get("method", "get").lower())
            self.forms.append(self.current)
            return
        form = self.current
        if form is None:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind == "submit":
                form.buttons.append((a["name"], a.get("value", ""), a.get("value", "")))
            default = "on" if kind in ("checkbox", "radio") else ""
            form.fields.append((a["name"], a.get("value", default), kind, "checked" in a))
        elif tag == "select" and a.get("name"):
            self.select = a["name"]
            form.selects[self.select] = []
        elif tag == "option" and self.select:
            value = a.get("value", "")
            form.selects[self.select].append(value)
            if "selected" in a:
                form.fields.append((self.select, value, "select", True))
        elif tag == "textarea" and a.get("name"):
            self.textarea = (a["name"], [])
        elif tag == "button":
            self.button = [a.get("name", ""), a.get("value", ""), ""]

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea and self.current:
            self.current.fields.append((self.textarea[0], "".join(self.textarea[1]),
                                        "textarea", True))
            self.textarea = None
        elif tag == "button" and self.button is not None and self.current:
            self.current.buttons.append((self.button[0], self.button[1],
                                         " ".join(self.button[2].split())))
            self.button = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1].append(data)
        if self.button is not None:
            self.button[2] += data
        if self.current is not None:
            self.current.text += data


def forms(html: str) -> list[Form]:
    parser = _Parser()
    parser.feed(html)
    return parser.forms


class StepFailed(Exception):
    pass


@dataclass
class Problem:
    at: float
    who: str
    what: str
    status: int
    clear: bool  # the answer told the person what happened (not a bare 500/502 page)


class Errors:
    """Every answer a person would see as an error, shared by all simulated people."""

    def __init__(self):
        self.lock = threading.Lock()
        self.items: list[Problem] = []

    def add(self, problem: Problem) -> None:
        with self.lock:
            self.items.append(problem)


CLIENT_TIMEOUT = 130  # seconds


class Browser:
    def __init__(self, base: str, who: str, errors: Errors, *, ip: str | None = None):
        headers = {"User-Agent": f"faultrun/{who}", "Accept-Language": "id"}
        if ip:
            headers["X-Forwarded-For"] = ip  # nginx appends 127.0.0.1; the app believes it
        # Longer than nginx's proxy_read_timeout and gunicorn's --timeout (120 s), so a
        # slow request ends with the server's answer (a clear 503/504 page), not ours.
        self.http = httpx.Client(base_url=base, headers=headers, timeout=CLIENT_TIMEOUT,
                                 follow_redirects=True)
        self.base = base
        self.who = who
        self.errors = errors

    def close(self) -> None:
        self.http.close()

    def _record(self, what: str, response: httpx.Response | None, error: str = "") -> None:
        if response is None:
            self.errors.add(Problem(time.time(), self.who, f"{what}: {error}", 0, False))
            return
        body = response.text if "html" in response.headers.get("content-type", "") else ""
        clear = response.status_code in (400, 403, 409, 429, 503) and (
            bool(CLEAR.search(body)) or response.status_code == 503 and "<main" in body)
        self.errors.add(Problem(time.time(), self.who, what, response.status_code, clear))

    def request(self, method: str, url: str, what: str, **kwargs) -> httpx.Response:
        try:
            response = self.http.request(method, url, **kwargs)
        except httpx.HTTPError as e:
            self._record(what, None, type(e).__name__)
            raise StepFailed(f"{what}: {type(e).__name__}") from e
        if response.status_code >= 400:
            self._record(what, response)
            raise StepFailed(f"{what}: HTTP {response.status_code}")
        return response

    def get(self, url: str, what: str = "") -> httpx.Response:
        return self.request("GET", url, what or f"GET {url}")

    def form(self, page: httpx.Response, *, button: str = "", action: str = "") -> Form | None:
        for form in forms(page.text):
            if action and not re.search(action, form.action or str(page.url.path)):
                continue
            if button and not any(button in text for _n, _v, text in form.buttons):
                continue
            return form
        return None

    def submit(self, page: httpx.Response, form: Form, what: str, *, button: str = "",
               data: dict | None = None, files=None, headers=None) -> httpx.Response:
        values = form.values()
        for name, value in (data or {}).items():
            values[name] = value if isinstance(value, list) else [value]
        if button:
            for name, value, text in form.buttons:
                if button in text and name:
                    values[name] = [value]
                    break
        url = urljoin(str(page.url), unescape(form.action) or str(page.url))
        extra = {"Referer": str(page.url), **(headers or {})}
        if form.method != "post":
            return self.request("GET", url, what, params=values, headers=extra)
        return self.request("POST", url, what, data=values, files=files, headers=extra)
