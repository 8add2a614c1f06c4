"""Running the national-scale seed's SQL on several PostgreSQL connections at once
(used by manage.py seed_scale): each step is a task with the tasks it must wait for, and
a few threads, each with its own connection, take the ready task on the longest path to
the end first. PostgreSQL runs one statement on one CPU; two connections keep two CPUs
busy (the rows of different id ranges, an index of one table beside another's).

Every task is its own transaction and commits when it returns; the first failure stops
the pool (running tasks are cancelled) and is raised again in the caller, who undoes
what was written (scale_load.undo).
"""

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psycopg


@dataclass
class Task:
    name: str
    # run(cursor) inside a transaction, or outside one with transaction=False (VACUUM).
    run: Callable
    after: tuple[str, ...] = ()
    cost: float = 1.0  # seconds, roughly: the order tasks are taken in
    transaction: bool = True
    priority: float = field(default=0.0, init=False)
    seconds: float = field(default=0.0, init=False)
    started: float = field(default=0.0, init=False)  # seconds after the pool started
    worker: int = field(default=0, init=False)


class PoolError(RuntimeError):
    pass


def _prioritise(tasks: dict[str, Task]) -> None:
    """Each task's priority: its cost plus the most expensive chain of tasks that wait
    for it (the critical path first, so the last task ends as early as it can)."""
    waiting: dict[str, list[str]] = {name: [] for name in tasks}
    for task in tasks.values():
        for before in task.after:
            if before not in tasks:
                raise PoolError(f"task {task.name} waits for unknown task {before}")
            waiting[before].append(task.name)
    done: dict[str, float] = {}

    def path(name: str, seen: tuple = ()) -> float:
        if name in seen:
            raise PoolError(f"tasks wait for each other: {' → '.join((*seen, name))}")
        if name not in done:
            done[name] = tasks[name].cost + max(
                (path(next_name, (*seen, name)) for next_name in waiting[name]), default=0)
        return done[name]

    for name, task in tasks.items():
        task.priority = path(name)


class Pool:
    """``Pool(connect, jobs).run(tasks)``: ``connect()`` returns a new psycopg connection
    (autocommit, configured for the load). Returns the tasks with their seconds."""

    def __init__(self, connect: Callable[[], psycopg.Connection], jobs: int):
        self.connect, self.jobs = connect, max(1, jobs)
        self.lock = threading.Condition()
        self.error: BaseException | None = None
        self.running: dict[str, psycopg.Connection] = {}
        self.cpu: float | None = 0.0  # the connections' backends, None if unreadable

    def run(self, task_list: list[Task]) -> list[Task]:
        tasks = {task.name: task for task in task_list}
        if len(tasks) != len(task_list):
            raise PoolError("two tasks have the same name")
        _prioritise(tasks)
        self.todo = sorted(tasks.values(), key=lambda t: -t.priority)
        self.finished: set[str] = set()
        connections = [self.connect() for _ in range(min(self.jobs, len(tasks)))]
        self.began = time.perf_counter()
        threads = [threading.Thread(target=self._work, args=(n, conn), daemon=True,
                                    name=f"seed_scale-{n}")
                   for n, conn in enumerate(connections)]
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            for conn in connections:
                self._count_cpu(conn)
                conn.close()
        if self.error is not None:
            raise self.error
        if self.todo:
            raise PoolError("tasks left that can never start: "
                            + ", ".join(task.name for task in self.todo))
        return task_list

    def _count_cpu(self, conn: psycopg.Connection) -> None:
        seconds = process_cpu(conn.info.backend_pid)
        self.cpu = None if seconds is None or self.cpu is None else self.cpu + seconds

    def _next(self) -> Task | None:
        with self.lock:
            while True:
                if self.error is not None or not self.todo:
                    return None
                for task in self.todo:  # by priority
                    if self.finished.issuperset(task.after):
                        self.todo.remove(task)
                        return task
                if not self.running:
                    return None  # nothing runs that could make a task ready
                self.lock.wait()

    def _work(self, worker: int, conn: psycopg.Connection) -> None:
        while (task := self._next()) is not None:
            with self.lock:
                self.running[task.name] = conn
            started = time.perf_counter()
            task.started, task.worker = started - self.began, worker
            try:
                if task.transaction:
                    with conn.transaction(), conn.cursor() as cursor:
                        task.run(cursor)
                else:
                    with conn.cursor() as cursor:
                        task.run(cursor)
            except BaseException as error:  # raised again by run()  # noqa: BLE001
                self._fail(task, error)
            task.seconds = time.perf_counter() - started
            with self.lock:
                del self.running[task.name]
                if self.error is None:
                    self.finished.add(task.name)
                self.lock.notify_all()

    def _fail(self, task: Task, error: BaseException) -> None:
        with self.lock:
            if self.error is None:
                self.error = error
                error.add_note(f"seed_scale: in the step {task.name}")
                for name, conn in self.running.items():
                    if name != task.name:
                        conn.cancel_safe()  # the others stop now, not at their end
            self.lock.notify_all()


def process_cpu(pid: int) -> float | None:
    """User + system CPU seconds a process on this machine has used (a PostgreSQL
    backend here, gunicorn's workers in bench/pages_measure.py); None if it is not on
    this machine or not readable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
