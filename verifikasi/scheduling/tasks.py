from django.tasks import task

from . import reminders


@task()
def appointment_send_reminder(appointment_id: int, kind: str, sequence: int) -> str:
    """The 24 h / 1 h reminder, enqueued with ``run_after`` when a time is confirmed."""
    return reminders.appointment_send_reminder(appointment_id=appointment_id, kind=kind,
                                               sequence=sequence)
