"""Retention (UU No. 27/2022): recordings past their date are deleted, file and
row, and the deletion is audited."""

from datetime import timedelta

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.conftest import run_worker
from tests.meetings import mp4_bytes
from verifikasi.core.audit import audit_verify
from verifikasi.core.heartbeat import UPKEEP_JOBS
from verifikasi.core.models import AuditEvent
from verifikasi.meetings.models import MeetingSettings, Provider, Recording
from verifikasi.meetings.recordings import recording_upload, recordings_expire
from verifikasi.meetings.services import meeting_schedule


def _recording(registration_documents_accepted, start_at, verifier):
    meeting = meeting_schedule(
        registration=registration_documents_accepted,
        start_at=start_at,
        actor=verifier,
        manual_url="https://meet.google.com/abc-defg-hij",
    )
    return recording_upload(meeting=meeting, actor=verifier,
                            uploaded_file=SimpleUploadedFile("r.mp4", mp4_bytes()))


def test_it_keeps_a_recording_for_the_configured_retention(
    registration_documents_accepted, start_at, verifier, settings
):
    recording = _recording(registration_documents_accepted, start_at, verifier)

    assert recording.delete_after == timezone.localdate() + timedelta(
        days=settings.RECORDING_RETENTION_DAYS)


def test_the_office_may_set_its_own_retention(
    office, registration_documents_accepted, start_at, verifier
):
    MeetingSettings.objects.create(office=office, provider=Provider.MANUAL,
                                   recording_retention_days=400)

    recording = _recording(registration_documents_accepted, start_at, verifier)

    assert recording.delete_after == timezone.localdate() + timedelta(days=400)


def test_it_deletes_the_file_and_row_after_the_retention_date_and_audits_it(
    registration_documents_accepted, start_at, verifier, private_storage
):
    recording = _recording(registration_documents_accepted, start_at, verifier)
    path = private_storage / recording.file.name
    assert path.exists()

    with time_machine.travel(recording.delete_after, tick=True):
        assert recordings_expire() == 0  # on its last day it is still kept
    with time_machine.travel(recording.delete_after + timedelta(days=1), tick=True):
        assert recordings_expire() == 1
        assert recordings_expire() == 0

    assert not path.exists()
    assert not Recording.objects.exists()
    event = AuditEvent.objects.get(action="recording.expired")
    assert event.object_id == str(recording.code)
    assert event.details["sha256"] == recording.sha256
    assert audit_verify().ok


def test_it_finishes_a_deletion_whose_file_was_already_removed(
    registration_documents_accepted, start_at, verifier, private_storage
):
    recording = _recording(registration_documents_accepted, start_at, verifier)
    (private_storage / recording.file.name).unlink()  # a crash after the file went

    with time_machine.travel(recording.delete_after + timedelta(days=1), tick=True):
        assert recordings_expire() == 1

    assert not Recording.objects.exists()


def test_the_worker_upkeep_runs_the_expiry(
    registration_documents_accepted, start_at, verifier, monkeypatch
):
    path = "verifikasi.meetings.recordings.recordings_expire"
    monkeypatch.setattr("verifikasi.core.heartbeat.UPKEEP_JOBS", [*UPKEEP_JOBS, path]
                        if path not in UPKEEP_JOBS else UPKEEP_JOBS)
    recording = _recording(registration_documents_accepted, start_at, verifier)

    with time_machine.travel(recording.delete_after + timedelta(days=1), tick=True):
        run_worker()

    assert not Recording.objects.exists()
