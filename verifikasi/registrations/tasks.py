from django.tasks import task

from .uploads import document_thumbnail_render


@task()
def document_render_thumbnail(document_id: int) -> str:
    """B.5: the page-1 preview the vendor sees on the document's card."""
    return document_thumbnail_render(document_id)
