"""C.5 for Jitsi and pasted links: the verifier uploads the recording, checked by
its content, never by its name."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from tests.conftest import make_user
from tests.meetings import box, mp4_bytes
from verifikasi.accounts.models import Role
from verifikasi.core.models import AuditEvent
from verifikasi.meetings.models import Recording
from verifikasi.meetings.recordings import recording_upload
from verifikasi.meetings.services import (
    ERR_NOT_MEDIA,
    ERR_NOT_STAFF,
    ERR_TOO_LARGE,
    meeting_cancel,
    meeting_schedule,
)


@pytest.fixture
def meeting(registration_documents_accepted, start_at, verifier):
    return meeting_schedule(
        registration=registration_documents_accepted,
        start_at=start_at,
        actor=verifier,
        manual_url="https://meet.google.com/abc-defg-hij",
    )


def _upload(meeting, actor, name, content, content_type="video/mp4"):
    return recording_upload(meeting=meeting, actor=actor,
                            uploaded_file=SimpleUploadedFile(name, content, content_type))


def test_it_accepts_a_small_valid_mp4_with_its_sha256(meeting, verifier, private_storage):
    video = mp4_bytes(seconds=754)

    recording = _upload(meeting, verifier, "Rekaman Zoom CV Maju.mp4", video)

    assert recording.source == "upload"
    assert recording.sha256 == hashlib.sha256(video).hexdigest()
    assert recording.size == len(video)
    assert recording.content_type == "video/mp4"
    assert recording.duration_seconds == 754
    assert recording.uploaded_by == verifier
    assert recording.original_name == "Rekaman Zoom CV Maju.mp4"
    assert recording.registration == meeting.registration
    # A random name in private storage, not the uploaded one.
    assert "Maju" not in recording.file.name
    assert recording.file.name.endswith(".mp4")
    assert (private_storage / recording.file.name).read_bytes() == video
    event = AuditEvent.objects.get(action="recording.uploaded")
    assert event.actor == verifier
    assert event.details["sha256"] == recording.sha256


def test_it_streams_a_large_upload_from_its_temporary_file(meeting, verifier):
    video = mp4_bytes(media_size=3 * 1024 * 1024)
    uploaded = TemporaryUploadedFile("rekaman.mp4", "video/mp4", len(video), None)
    uploaded.write(video)
    uploaded.seek(0)

    recording = recording_upload(meeting=meeting, actor=verifier, uploaded_file=uploaded)

    assert recording.sha256 == hashlib.sha256(video).hexdigest()
    assert recording.size == len(video)


def test_it_refuses_a_text_file_renamed_mp4_and_stores_nothing(meeting, verifier,
                                                               private_storage):
    text = b"Ini bukan video, hanya catatan rapat.\n" * 50

    with pytest.raises(ValidationError) as e:
        _upload(meeting, verifier, "rekaman.mp4", text)

    assert e.value.messages == [str(ERR_NOT_MEDIA)]
    assert "bukan rekaman video atau audio" in e.value.messages[0]
    assert not Recording.objects.exists()
    assert not (private_storage / "recordings").exists()
    assert not AuditEvent.objects.filter(action="recording.uploaded").exists()


def test_it_refuses_an_mp4_without_its_movie_header(meeting, verifier):
    truncated = box(b"ftyp", b"isom" + bytes(4) + b"isom") + box(b"mdat", bytes(4096))

    with pytest.raises(ValidationError) as e:
        _upload(meeting, verifier, "rekaman.mp4", truncated)

    assert e.value.messages == [str(ERR_NOT_MEDIA)]


def test_it_refuses_a_pdf_named_mp4(meeting, verifier):
    from tests.registrations.factories import pdf_bytes

    with pytest.raises(ValidationError):
        _upload(meeting, verifier, "rekaman.mp4", pdf_bytes())


@pytest.mark.parametrize(("name", "content", "content_type"), [
    ("rekaman.webm", b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm" + bytes(100),
     "video/webm"),
    ("suara.m4a", mp4_bytes(handler=b"soun", brand=b"M4A "), "audio/mp4"),
    ("suara.bin", mp4_bytes(handler=b"soun"), "audio/mp4"),
    ("rekaman.mov", mp4_bytes(brand=b"qt  "), "video/quicktime"),
    ("suara.mp3", b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(200), "audio/mpeg"),
    ("video.txt", mp4_bytes(), "video/mp4"),  # the name does not matter either way
])
def test_it_recognises_each_allowed_format_by_content(meeting, verifier, name, content,
                                                      content_type):
    recording = _upload(meeting, verifier, name, content, "application/octet-stream")

    assert recording.content_type == content_type


def test_it_refuses_a_file_over_the_size_limit(meeting, verifier, settings):
    settings.RECORDING_MAX_BYTES = 1024 * 1024

    with pytest.raises(ValidationError) as e:
        _upload(meeting, verifier, "rekaman.mp4", mp4_bytes(media_size=1024 * 1024))

    assert e.value.messages == [str(ERR_TOO_LARGE) % {"mb": 1}]
    assert not Recording.objects.exists()


def test_only_staff_of_the_office_may_upload(meeting, vendor, other_office):
    other = make_user("verifikator@sambas.test", Role.VERIFIER, other_office)
    for actor in (vendor, other):
        with pytest.raises(PermissionDenied) as e:
            _upload(meeting, actor, "rekaman.mp4", mp4_bytes())
        assert str(e.value) == str(ERR_NOT_STAFF)
    assert not Recording.objects.exists()


def test_it_refuses_a_recording_for_a_cancelled_meeting(meeting, verifier):
    meeting_cancel(meeting=meeting, actor=verifier)

    with pytest.raises(PermissionDenied):
        _upload(meeting, verifier, "rekaman.mp4", mp4_bytes())
