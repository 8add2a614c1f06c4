"""What the SMTP server accepted: one file per message, read back for links and counts."""

import email
import email.policy
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Mail:
    to: str
    subject: str
    outbox_code: str  # X-Verifikasi-Email: the outbox row the message came from
    text: str
    message_id: str = ""  # the same on every delivery of one outbox row: <code@site-host>

    def links(self) -> list[str]:
        return re.findall(r"https?://[^\s<>\"']+", self.text)


class Mailbox:
    def __init__(self, folder: Path):
        self.folder = folder
        self.seen: dict[str, Mail] = {}
        self.lock = threading.Lock()

    def scan(self) -> list[Mail]:
        with self.lock:
            for path in sorted(self.folder.glob("*.eml")):
                if path.name in self.seen:
                    continue
                message = email.message_from_bytes(path.read_bytes(),
                                                   policy=email.policy.default)
                body = message.get_body(preferencelist=("plain",))
                self.seen[path.name] = Mail(str(message["To"] or ""),
                                            str(message["Subject"] or ""),
                                            str(message["X-Verifikasi-Email"] or ""),
                                            body.get_content() if body is not None else "",
                                            str(message["Message-ID"] or ""))
            return list(self.seen.values())

    def wait_link(self, to: str, fragment: str, timeout: float, stop=None) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not (stop and stop.is_set()):
            for mail in self.scan():
                if to in mail.to:
                    for link in mail.links():
                        if fragment in link:
                            return link
            time.sleep(1)
        raise TimeoutError(f"no email to {to} with a {fragment} link within {timeout:.0f} s")
