from django.tasks import task

from . import checking, deadlines, ktp_hint, sla_summary


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


@task()
def revision_deadline_remind_send(registration_id: int, kind: str) -> str:
    """Issue 20: the reminder 3 or 1 working days before the deficiency deadline."""
    return deadlines.revision_deadline_remind_send(registration_id=registration_id, kind=kind)


@task()
def registration_lapse(registration_id: int) -> str:
    """Issue 20: the deficiency deadline passed without a resubmission."""
    return deadlines.registration_lapse(registration_id=registration_id)


@task()
def sla_summary_send(office_id: int) -> str:
    """Issue 19: the weekly service-time summary to the office head."""
    return sla_summary.sla_summary_send(office_id=office_id)
