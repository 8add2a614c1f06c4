from django.tasks import task

from . import checking, ktp_hint


@task()
def document_check(document_id: int) -> str:
    """B.5: the check of an upload stored as sent ("sedang diperiksa" until it is done)."""
    return checking.document_check(document_id)


@task()
def document_thumbnail_render(document_id: int) -> str:
    """B.5: the page-1 preview the vendor sees on the document's card."""
    return checking.document_thumbnail_render(document_id)


@task()
def document_nik_read(document_id: int) -> str:
    """Issue 20: the NIK read from an accepted KTP, a hint on the review screen."""
    return ktp_hint.document_nik_read(document_id)
