"""The seed's task pool (scale_pool), its id ranges and its audit links, without a
database: fake connections record what ran, in which order and on which connection."""

import hashlib
import hmac
import threading
import time
from contextlib import contextmanager

import pytest

from verifikasi.front.scale_history import _hmac_sha256
from verifikasi.front.scale_plan import _ranges
from verifikasi.front.scale_pool import Pool, PoolError, Task, _prioritise


class FakeConnection:
    def __init__(self, log):
        self.log, self.cancelled, self.closed = log, threading.Event(), False
        self.info = type("Info", (), {"backend_pid": -1})()

    @contextmanager
    def transaction(self):
        yield

    @contextmanager
    def cursor(self):
        yield self

    def cancel_safe(self):
        self.cancelled.set()

    def close(self):
        self.closed = True


def pool(jobs=2):
    log, made = [], []

    def connect():
        made.append(FakeConnection(log))
        return made[-1]
    return Pool(connect, jobs), log, made


def step(log, name, seconds=0.0):
    def run(cursor):
        log.append(("start", name))
        time.sleep(seconds)
        log.append(("end", name))
    return run


def test_a_task_starts_only_after_the_tasks_it_waits_for():
    runner, log, made = pool(jobs=3)
    runner.run([
        Task("a", step(log, "a", 0.05)), Task("b", step(log, "b", 0.01)),
        Task("c", step(log, "c"), after=("a", "b")), Task("d", step(log, "d"), after=("c",)),
    ])
    order = log
    assert order.index(("start", "c")) > max(order.index(("end", "a")), order.index(("end", "b")))
    assert order.index(("start", "d")) > order.index(("end", "c"))
    assert len(made) == 3 and all(conn.closed for conn in made)


def test_two_connections_work_at_the_same_time():
    runner, log, _ = pool(jobs=2)
    runner.run([Task("a", step(log, "a", 0.1)), Task("b", step(log, "b", 0.1))])
    assert [kind for kind, _ in log[:2]] == ["start", "start"]


def test_the_longest_path_is_taken_first():
    tasks = {t.name: t for t in [
        Task("short", lambda c: None, cost=5), Task("long", lambda c: None, cost=1),
        Task("after-long", lambda c: None, after=("long",), cost=10)]}
    _prioritise(tasks)
    assert tasks["long"].priority == 11 > tasks["short"].priority == 5
    runner, log, _ = pool(jobs=1)
    runner.run([Task("short", step(log, "short"), cost=5),
                Task("long", step(log, "long"), cost=1),
                Task("after-long", step(log, "after-long"), after=("long",), cost=10)])
    assert log[0] == ("start", "long")


def test_a_failure_stops_the_pool_cancels_the_others_and_is_raised():
    runner, log, made = pool(jobs=2)

    def fail(cursor):
        time.sleep(0.02)
        raise ValueError("no space left")

    def slow(cursor):
        # a statement that ends when the server cancels it
        assert cursor.cancelled.wait(5)
        log.append(("cancelled", "slow"))
    with pytest.raises(ValueError, match="no space left") as failure:
        runner.run([Task("fail", fail), Task("slow", slow),
                    Task("later", step(log, "later"), after=("fail",))])
    assert "seed_scale: in the step fail" in failure.value.__notes__
    assert ("cancelled", "slow") in log and ("start", "later") not in log
    assert all(conn.closed for conn in made)


def test_it_refuses_unknown_or_circular_waits():
    with pytest.raises(PoolError, match="unknown task"):
        pool()[0].run([Task("a", lambda c: None, after=("b",))])
    with pytest.raises(PoolError, match="wait for each other"):
        pool()[0].run([Task("a", lambda c: None, after=("b",)),
                       Task("b", lambda c: None, after=("a",))])


def test_ranges_cover_every_id_once():
    assert _ranges(10, 3) == [(1, 3), (4, 6), (7, 10)]
    assert _ranges(1, 4) == [(1, 1)]
    for count, parts in [(1_000_000, 2), (999_999, 7), (5, 5)]:
        ids = [i for lo, hi in _ranges(count, parts) for i in range(lo, hi + 1)]
        assert ids == list(range(1, count + 1))


@pytest.mark.parametrize("key", [b"", b"k", b"test-only-audit-hmac-key-0123456789abcdef",
                                 b"x" * 64, b"y" * 65, bytes(range(200))])
def test_the_chains_hmac_is_hmac_sha256(key):
    sign = _hmac_sha256(key)
    for message in (b"", b"{}", b"a" * 1000):
        assert sign(message) == hmac.new(key, message, hashlib.sha256).hexdigest()
