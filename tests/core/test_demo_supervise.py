"""scripts/demo keeps running when one of its processes dies: the supervisor it runs
each process under (scripts/_supervise.sh) starts a child that exited again, and
SIGTERM stops both the child and the supervisor."""

import signal
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_child_that_exits_is_started_again_and_sigterm_stops_all(tmp_path):
    runs = tmp_path / "runs"
    # The child notes each start and exits with an error at once (a crashed worker).
    child = f"echo started >> {runs}; exit 3"
    supervisor = subprocess.Popen(
        ["bash", "-c", f"source {ROOT / 'scripts/_supervise.sh'}; "
                       f"supervise worker bash -c '{child}'"],
        stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if runs.exists() and len(runs.read_text().splitlines()) >= 3:
                break
            time.sleep(0.1)
        assert supervisor.poll() is None  # still supervising
        assert len(runs.read_text().splitlines()) >= 3  # started, then again after 1 s and 2 s
    finally:
        supervisor.send_signal(signal.SIGTERM)
        _out, err = supervisor.communicate(timeout=10)
    assert supervisor.returncode == 0
    assert "worker stopped (exit code 3); restarting it in 1 s" in err
    assert "worker stopped (exit code 3); restarting it in 2 s" in err
