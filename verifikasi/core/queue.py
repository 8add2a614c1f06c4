"""One way to put work on the queue: by the task's dotted path.

Services decide *that* something must happen later; the task module that runs
it imports the service, never the reverse (so ``services.py`` and ``tasks.py``
never import each other). The task is looked up when it is enqueued.
"""

from datetime import datetime

from django.utils.module_loading import import_string


def enqueue(task_path: str, *args, run_after: datetime | None = None):
    """Enqueue the task at ``task_path`` (e.g. "verifikasi.x.tasks.y") with ``args``."""
    task = import_string(task_path)
    if run_after is not None:
        task = task.using(run_after=run_after)
    return task.enqueue(*args)
