"""Jitsi: an unguessable room, ready at once; with the office's own server, a
signed token per link."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest

from tests.conftest import run_worker
from verifikasi.meetings.models import MeetingSettings, MeetingState, Provider
from verifikasi.meetings.services import meeting_cancel, meeting_reschedule, meeting_schedule

SECRET = "jitsi-shared-secret-for-tests-0123456789"


def _jitsi(office, **fields):
    return MeetingSettings.objects.create(office=office, provider=Provider.JITSI, **fields)


def test_it_gives_an_unguessable_room_on_meet_jit_si_at_once(
    office, registration_documents_accepted, start_at, verifier
):
    _jitsi(office)

    meeting = meeting_schedule(
        registration=registration_documents_accepted, start_at=start_at, actor=verifier
    )

    assert meeting.state == MeetingState.CREATED  # nothing to wait for
    url = urlsplit(meeting.join_url)
    assert url.scheme == "https" and url.netloc == "meet.jit.si" and not url.query
    room = url.path.lstrip("/")
    assert room == meeting.external_id
    assert re.fullmatch(r"verifikasi-[a-z0-9_-]{20,}", room)
    assert len(room.removeprefix("verifikasi-")) >= 20
    other = meeting_schedule(
        registration=registration_documents_accepted, start_at=start_at, actor=verifier
    )
    assert other.external_id != room


def test_it_signs_a_token_for_the_room_on_the_offices_own_server(
    office, registration_documents_accepted, start_at, verifier
):
    _jitsi(office, jitsi_domain="meet.lpse.ketapangkab.go.id", jitsi_app_id="verifikasi",
           jitsi_app_secret=SECRET, jitsi_audience="verifikasi-daring")

    meeting = meeting_schedule(
        registration=registration_documents_accepted,
        start_at=start_at,
        actor=verifier,
        duration_minutes=40,
    )

    url = urlsplit(meeting.join_url)
    assert url.netloc == "meet.lpse.ketapangkab.go.id"
    room = url.path.lstrip("/")
    [token] = parse_qs(url.query)["jwt"]
    claims = jwt.decode(token, SECRET, algorithms=["HS256"], audience="verifikasi-daring")
    assert claims["iss"] == "verifikasi"
    assert claims["aud"] == "verifikasi-daring"
    assert claims["sub"] == "meet.lpse.ketapangkab.go.id"
    assert claims["room"] == room
    end = start_at + timedelta(minutes=40)
    assert claims["exp"] == int((end + timedelta(hours=2)).timestamp())
    assert claims["context"]["user"] == {"name": "Budi Santoso", "moderator": False}
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, "another-secret-of-enough-length-0123456789", algorithms=["HS256"],
                   audience="verifikasi-daring")
    # The verifier's own link names them and is the moderator's.
    [host_token] = parse_qs(urlsplit(meeting.host_url).query)["jwt"]
    host = jwt.decode(host_token, SECRET, algorithms=["HS256"], audience="verifikasi-daring")
    assert host["context"]["user"] == {"name": "Verifikator Satu", "moderator": True}
    assert host["room"] == room


def test_it_defaults_the_audience_to_jitsi(office, registration_documents_accepted, start_at):
    _jitsi(office, jitsi_domain="meet.example.test", jitsi_app_id="app", jitsi_app_secret=SECRET)

    meeting = meeting_schedule(registration=registration_documents_accepted, start_at=start_at)

    [token] = parse_qs(urlsplit(meeting.join_url).query)["jwt"]
    assert jwt.decode(token, SECRET, algorithms=["HS256"], audience="jitsi")["aud"] == "jitsi"


def test_it_keeps_the_room_and_extends_the_token_on_reschedule(
    office, registration_documents_accepted, start_at, verifier
):
    _jitsi(office, jitsi_domain="meet.example.test", jitsi_app_id="app", jitsi_app_secret=SECRET)
    meeting = meeting_schedule(
        registration=registration_documents_accepted, start_at=start_at, actor=verifier
    )
    room = meeting.external_id

    later = start_at + timedelta(days=3)
    meeting = meeting_reschedule(meeting=meeting, start_at=later, actor=verifier)

    assert meeting.external_id == room
    assert meeting.synced_sequence == meeting.sequence == 1
    [token] = parse_qs(urlsplit(meeting.join_url).query)["jwt"]
    claims = jwt.decode(token, SECRET, algorithms=["HS256"], audience="jitsi")
    assert claims["exp"] == int((later + timedelta(minutes=30, hours=2)).timestamp())


def test_it_queues_no_network_work_for_jitsi(
    office, registration_documents_accepted, start_at, verifier
):
    from tests.meetings import queued

    _jitsi(office)
    meeting = meeting_schedule(
        registration=registration_documents_accepted, start_at=start_at, actor=verifier
    )
    meeting_cancel(meeting=meeting, actor=verifier)

    assert not queued("meeting_create_run").exists()
    assert not queued("meeting_delete_run").exists()
    assert not queued("recordings_poll").exists()
    run_worker()
