from django.tasks import task

from . import services


@task()
def whatsapp_deliver(message_id: int) -> str:
    return services.whatsapp_deliver(message_id=message_id)
