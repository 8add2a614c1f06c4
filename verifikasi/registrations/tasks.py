from django.tasks import task

from . import uploads


@task()
def document_thumbnail_render(document_id: int) -> str:
    """B.5: the page-1 preview the vendor sees on the document's card."""
    return uploads.document_thumbnail_render(document_id)
