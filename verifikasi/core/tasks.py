from django.tasks import task

from . import retention_policy


@task()
def retention_apply() -> dict:
    return retention_policy.retention_apply()
