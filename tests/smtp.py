"""A real SMTP server on loopback, for tests that send email the way production does.

``SMTPServer`` wraps an aiosmtpd ``Controller`` bound to 127.0.0.1 on a port
chosen once, so the same object can be stopped and started again on the SAME
port: a test can take the mail server down, let delivery fail, and bring it
back. Every message received is parsed (``email`` stdlib, default policy) and
kept in ``server.messages`` across restarts.

The ``smtp_server`` fixture starts one per test and points ``settings.MAILERS``
at it (Django's test runner otherwise swaps MAILERS to locmem). Load it with
``pytest_plugins = ["tests.smtp"]`` in tests/conftest.py.
"""

import asyncio
import email
import email.policy
import logging
import re
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

HOST = "127.0.0.1"

# aiosmtpd logs every SMTP command at INFO; the root logger would print them all.
logging.getLogger("mail.log").setLevel(logging.WARNING)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    def __getitem__(self, header: str) -> str | None:
        return self.message[header]

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""

    @property
    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content() if part is not None else ""

    def links(self) -> list[str]:
        return re.findall(r"https?://[^\s<>\"']+", self.text)


@dataclass
class _Handler:
    messages: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Called (in a thread of its own) when a client says QUIT, before the answer:
    # a test can look at the database then, or kill the sender there.
    on_quit: Callable[[], None] | None = None

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self.lock:
            self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    async def handle_QUIT(self, server, session, envelope):
        if self.on_quit is not None:
            await asyncio.to_thread(self.on_quit)
        return "221 Bye"


class SMTPServer:
    """An SMTP server on 127.0.0.1:<port> that can go down and come back up."""

    def __init__(self, port: int | None = None):
        self.host = HOST
        self.port = port or free_port()
        self._handler = _Handler()
        self._controller: Controller | None = None

    @property
    def running(self) -> bool:
        return self._controller is not None

    @property
    def messages(self) -> list[Received]:
        with self._handler.lock:
            return list(self._handler.messages)

    @property
    def on_quit(self) -> Callable[[], None] | None:
        return self._handler.on_quit

    @on_quit.setter
    def on_quit(self, hook: Callable[[], None] | None) -> None:
        self._handler.on_quit = hook

    def start(self) -> "SMTPServer":
        if self._controller is None:
            # A stopped Controller has closed its event loop, so each start
            # needs a fresh one (asyncio binds with SO_REUSEADDR: same port).
            controller = Controller(self._handler, hostname=self.host, port=self.port)
            controller.start()
            self._controller = controller
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def mailers_setting(self, timeout: int = 5) -> dict:
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": self.host, "port": self.port, "timeout": timeout},
            }
        }

    def with_header(self, name: str, value: str) -> list[Received]:
        return [m for m in self.messages if m[name] == value]

    def for_email(self, outbound) -> list[Received]:
        """Messages carrying an OutboundEmail's X-Verifikasi-Email code."""
        return self.with_header("X-Verifikasi-Email", str(outbound.code))

    def to(self, address: str) -> list[Received]:
        return [m for m in self.messages if address in m.rcpt_tos]


@pytest.fixture
def smtp_server(settings):
    server = SMTPServer().start()
    settings.MAILERS = server.mailers_setting()
    try:
        yield server
    finally:
        server.stop()
