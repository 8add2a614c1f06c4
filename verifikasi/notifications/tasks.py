from django.tasks import task

from . import services


@task()
def email_deliver(email_id: int) -> str:
    return services.email_deliver(email_id=email_id)
