"""An SMTP server that keeps every message it accepts, one file each, before saying 250.

Run as its own process (``python smtp_sink.py PORT FOLDER``) so the fault run can kill it
and start it again on the same port: what it accepted stays in FOLDER.
"""

import os
import signal
import sys
import threading
import uuid
from pathlib import Path

from aiosmtpd.controller import Controller


class Keep:
    def __init__(self, folder: Path):
        self.folder = folder

    async def handle_DATA(self, server, session, envelope):
        name = f"{uuid.uuid4().hex}.eml"
        partial = self.folder / f".{name}"
        partial.write_bytes(envelope.original_content)
        os.replace(partial, self.folder / name)  # whole files only
        return "250 Message accepted for delivery"


def main() -> None:
    port, folder = int(sys.argv[1]), Path(sys.argv[2])
    folder.mkdir(parents=True, exist_ok=True)
    controller = Controller(Keep(folder), hostname="127.0.0.1", port=port)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print(f"smtp sink on 127.0.0.1:{port}", flush=True)
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
