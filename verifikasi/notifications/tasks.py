from django.tasks import task

from .services import email_deliver


@task()
def deliver_email(email_id: int) -> str:
    return email_deliver(email_id=email_id)
