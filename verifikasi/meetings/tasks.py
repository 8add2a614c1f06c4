"""Background work for video calls; each task calls one service."""

from django.tasks import task

from . import services


@task()
def create_meeting(meeting_id: int) -> str:
    return services.meeting_create_run(meeting_id)


@task()
def update_meeting(meeting_id: int) -> str:
    return services.meeting_update_run(meeting_id)


@task()
def delete_meeting(meeting_id: int) -> str:
    return services.meeting_delete_run(meeting_id)


@task()
def fetch_recording(meeting_id: int, file_info: dict, download_token: str = "",
                    attempt: int = 0) -> str:
    return services.recording_fetch_run(meeting_id, file_info, download_token, attempt=attempt)


@task()
def poll_recordings(meeting_id: int, sequence: int | None = None, attempt: int = 0) -> str:
    return services.recordings_poll(meeting_id, sequence=sequence, attempt=attempt)
