"""The fault run's email count (bench/faultrun/checks.py): what the SMTP server accepted
against the outbox. A copy accepted again with the first copy's Message-ID is
*redelivered* (the same message again), not *duplicated*; a copy with another Message-ID
is a duplicate; a row with no copy is lost."""

import sys
from pathlib import Path

from tests.notifications import queue_test_email, run_worker
from tests.smtp import SMTPServer

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from faultrun.checks import Report, emails  # noqa: E402
from faultrun.mailbox import Mailbox  # noqa: E402


def write(folder: Path, name: str, received) -> None:
    (folder / f"{name}.eml").write_bytes(received.message.as_bytes())


def test_it_tells_redelivered_from_duplicated_and_lost(smtp_server: SMTPServer, office,
                                                       tmp_path):
    once, again, doubled, _lost = (queue_test_email(office, to=f"v{i}@cv.test")
                                  for i in range(4))
    run_worker()
    [once_copy] = smtp_server.for_email(once)
    [again_copy] = smtp_server.for_email(again)
    [doubled_copy] = smtp_server.for_email(doubled)
    write(tmp_path, "1", once_copy)
    write(tmp_path, "2", again_copy)
    write(tmp_path, "3", again_copy)  # the same message again: same Message-ID
    write(tmp_path, "4", doubled_copy)
    other = doubled_copy.message
    other.replace_header("Message-ID", "<another@testserver>")
    (tmp_path / "5.eml").write_bytes(other.as_bytes())  # a second, different message
    # `lost`'s copy is left out of the folder: as if the server never accepted it.

    report = Report()
    emails(report, Mailbox(tmp_path))

    kinds = sorted(f.kind for f in report.findings)
    assert kinds == ["duplicated", "lost", "redelivered"]
    assert "1 of them redelivered with the same Message-ID" in report.facts["emails"]
    assert "5 accepted by SMTP" in report.facts["emails"]
