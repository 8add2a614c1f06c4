"""bench/pages.py's measuring: wrk's figures, the workers' CPU time from /proc, py-spy.

Split from pages.py (which keeps the setup and the run) to keep each under 400 lines.
"""

import re
import subprocess
import sys
from pathlib import Path

from verifikasi.front.scale_pool import process_cpu

BIN = Path(__file__).resolve().parent.parent / ".venv" / "bin"


def say(text: str) -> None:
    print(text, flush=True)


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def cpu_seconds(master: int) -> float:
    """User + system CPU time of the server's worker processes so far."""
    return sum(process_cpu(pid) or 0.0 for pid in workers_of(master))


def wrk(tool: str, url: str, duration: int, connections: int, cookie: str | None,
        server: int) -> dict:
    command = [tool, "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    cpu = cpu_seconds(server)
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    cpu = cpu_seconds(server) - cpu
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)

    def percentile(p: str) -> float:
        value, unit = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * UNITS[unit]

    requests = int(re.search(r"(\d+) requests in", out)[1])
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),
            "cpu_ms": 1000 * cpu / max(requests, 1),
            "p50": percentile("50"), "p99": percentile("99"),
            "bad": int(bad[1]) if bad else 0, "errors": errors[1] if errors else ""}


def workers_of(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(p) for p in text.split()]


def profile(pids: list[int], duration: int, out: Path) -> list[subprocess.Popen]:
    """py-spy on every worker while wrk runs; the flame graph and the hottest frames."""
    spy = BIN / "py-spy"
    if not spy.exists():
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "py-spy"], check=True)
    procs = [subprocess.Popen([spy, "record", "--pid", str(pid), "--duration", str(duration),
                               "--rate", "250", "--format", "raw", "--nonblocking",
                               "--output", str(out.with_suffix(f".{pid}.txt"))],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for pid in pids]
    return procs


def hottest(files: list[Path], top: int = 70) -> None:
    own, total, samples = {}, {}, 0
    for file in files:
        for line in file.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            count = int(count)
            samples += count
            frames = stack.split(";")
            for frame in set(frames):
                total[frame] = total.get(frame, 0) + count
            own[frames[-1]] = own.get(frames[-1], 0) + count
    say(f"\npy-spy: {samples} samples; frames by inclusive share (top {top})")
    for frame, count in sorted(total.items(), key=lambda kv: -kv[1])[:top]:
        say(f"  {100 * count / samples:5.1f} %  {frame[:150]}")
    say("frames by own share")
    for frame, count in sorted(own.items(), key=lambda kv: -kv[1])[:15]:
        say(f"  {100 * count / samples:5.1f} %  {frame[:150]}")
