from django.tasks import task

from . import outcome


@task()
def receipt_reminder_send(registration_code: str) -> str:
    """C.7: remind the vendor to confirm receipt of the certificate (once)."""
    return outcome.receipt_reminder_send(registration_code=registration_code)
