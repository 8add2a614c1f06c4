"""Recordings are seen only by staff of the office, through audited views."""

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.conftest import assert_private_no_store, login, make_user
from tests.meetings import mp4_bytes
from verifikasi.accounts.models import Role
from verifikasi.core.models import AuditEvent
from verifikasi.meetings.recordings import recording_upload
from verifikasi.meetings.services import meeting_schedule
from verifikasi.meetings.viewings import VIEWING_WINDOW

VIDEO = mp4_bytes(seconds=300, media_size=200 * 1024)


@pytest.fixture
def recording(registration_documents_accepted, start_at, verifier):
    meeting = meeting_schedule(
        registration=registration_documents_accepted,
        start_at=start_at,
        actor=verifier,
        manual_url="https://meet.google.com/abc-defg-hij",
    )
    return recording_upload(meeting=meeting, actor=verifier,
                            uploaded_file=SimpleUploadedFile("rekaman.mp4", VIDEO))


def _urls(recording):
    return [reverse("recording_download", args=[recording.code]),
            reverse("recording_stream", args=[recording.code])]


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("role", ["verifier", "coordinator", "admin_user"])
def test_staff_of_the_office_download_the_recording_and_it_is_audited(
    client, recording, role, request
):
    user = request.getfixturevalue(role)
    login(client, user)

    response = client.get(reverse("recording_download", args=[recording.code]))

    assert response.status_code == 200
    assert hashlib.sha256(_body(response)).hexdigest() == recording.sha256
    assert response["Content-Type"] == "video/mp4"
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".mp4" in response["Content-Disposition"]
    assert_private_no_store(response)
    event = AuditEvent.objects.get(action="recording.downloaded")
    assert event.actor == user
    assert event.object_id == str(recording.code)
    assert event.office == recording.meeting.office


def test_staff_play_the_recording_with_byte_ranges_audited_once_per_viewing(
    verifier_client, recording, verifier
):
    url = reverse("recording_stream", args=[recording.code])

    whole = verifier_client.get(url)
    assert whole.status_code == 200
    assert whole["Accept-Ranges"] == "bytes"
    assert whole["Content-Disposition"].startswith("inline")
    assert _body(whole) == VIDEO

    first = verifier_client.get(url, headers={"Range": "bytes=0-"})
    assert first.status_code == 206
    assert first["Content-Range"] == f"bytes 0-{len(VIDEO) - 1}/{len(VIDEO)}"
    assert _body(first) == VIDEO

    seek = verifier_client.get(url, headers={"Range": "bytes=1000-1999"})
    assert seek.status_code == 206
    assert seek["Content-Range"] == f"bytes 1000-1999/{len(VIDEO)}"
    assert seek["Content-Length"] == "1000"
    assert _body(seek) == VIDEO[1000:2000]

    tail = verifier_client.get(url, headers={"Range": "bytes=-100"})
    assert _body(tail) == VIDEO[-100:]

    beyond = verifier_client.get(url, headers={"Range": f"bytes={len(VIDEO)}-"})
    assert beyond.status_code == 416
    assert beyond["Content-Range"] == f"bytes */{len(VIDEO)}"

    assert_private_no_store(seek)
    # One viewing: the whole file, the range from 0 and the seeks are one event.
    assert AuditEvent.objects.filter(action="recording.viewed", actor=verifier).count() == 1


def test_a_viewing_that_never_asks_for_byte_0_is_audited(verifier_client, recording,
                                                         verifier):
    # A player resuming at minute 12 starts with a range in the middle (issue 13).
    url = reverse("recording_stream", args=[recording.code])

    response = verifier_client.get(url, headers={"Range": "bytes=5000-"})

    assert response.status_code == 206
    event = AuditEvent.objects.get(action="recording.viewed")
    assert (event.actor, event.object_id) == (verifier, str(recording.code))


def test_a_later_viewing_and_another_viewer_are_audited_again(client, recording, verifier,
                                                              coordinator):
    url = reverse("recording_stream", args=[recording.code])
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        login(client, verifier)
        client.get(url, headers={"Range": "bytes=1000-1999"})
        traveller.shift(VIEWING_WINDOW - timedelta(minutes=1))
        client.get(url, headers={"Range": "bytes=3000-3999"})  # still the same viewing
        assert AuditEvent.objects.filter(action="recording.viewed").count() == 1

        login(client, coordinator)
        client.get(url, headers={"Range": "bytes=3000-3999"})  # someone else watching
        assert AuditEvent.objects.filter(action="recording.viewed",
                                         actor=coordinator).count() == 1

        traveller.shift(timedelta(minutes=2))
        login(client, verifier)
        client.get(url, headers={"Range": "bytes=2000-2999"})  # a new viewing

    assert AuditEvent.objects.filter(action="recording.viewed", actor=verifier).count() == 2


def test_a_vendor_gets_404_even_for_their_own_registrations_recording(
    vendor_client, recording
):
    for url in _urls(recording):
        assert vendor_client.get(url).status_code == 404
    assert not AuditEvent.objects.filter(action__in=["recording.viewed",
                                                     "recording.downloaded"]).exists()


def test_staff_of_another_office_get_404(client, recording, other_office):
    login(client, make_user("verifikator@sambas.test", Role.VERIFIER, other_office, totp=True))

    for url in _urls(recording):
        assert client.get(url).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, recording):
    for url in _urls(recording):
        response = client.get(url)
        assert response.status_code == 302
        assert "/akun/login/" in response["Location"]


def test_an_unknown_code_is_404(verifier_client):
    url = reverse("recording_download", args=["00000000-0000-4000-8000-000000000000"])

    assert verifier_client.get(url).status_code == 404


def test_the_views_only_answer_get(verifier_client, recording):
    for url in _urls(recording):
        assert verifier_client.post(url).status_code == 405
