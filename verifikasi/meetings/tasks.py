"""Background work for video calls; each task runs the service of the same name."""

from django.tasks import task

from . import recordings, sync


@task()
def meeting_create_run(meeting_id: int) -> str:
    return sync.meeting_create_run(meeting_id)


@task()
def meeting_update_run(meeting_id: int) -> str:
    return sync.meeting_update_run(meeting_id)


@task()
def meeting_delete_run(meeting_id: int) -> str:
    return sync.meeting_delete_run(meeting_id)


@task()
def recording_fetch_run(meeting_id: int, file_info: dict, download_token: str = "",
                        attempt: int = 0) -> str:
    return recordings.recording_fetch_run(meeting_id, file_info, download_token,
                                          attempt=attempt)


@task()
def recordings_poll(meeting_id: int, sequence: int | None = None, attempt: int = 0) -> str:
    return recordings.recordings_poll(meeting_id, sequence=sequence, attempt=attempt)
