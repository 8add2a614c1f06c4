from django.tasks import task

from . import exports


@task()
def data_export_build(export_id: int) -> str:
    """UU PDP Pasal 7: the person's copy of their data, built off the request path."""
    return exports.data_export_build(export_id=export_id)
