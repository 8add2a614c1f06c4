"""A link the verifier pastes: any https meeting address, nothing else."""

import pytest
from django.core.exceptions import ValidationError

from verifikasi.meetings.models import Meeting, MeetingSettings, MeetingState, Provider
from verifikasi.meetings.providers.manual import ERR_LINK_NOT_HTTPS, ERR_LINK_REQUIRED
from verifikasi.meetings.services import ERR_LINK_ONLY_MANUAL, meeting_reschedule, meeting_schedule

LINK = "https://us05web.zoom.us/j/81234567890?pwd=abcDEF123"


def test_it_accepts_an_https_link_and_the_meeting_is_ready(
    office, registration_documents_accepted, start_at, verifier
):
    meeting = meeting_schedule(
        registration=registration_documents_accepted,
        start_at=start_at,
        actor=verifier,
        manual_url=LINK,
    )

    assert meeting.provider == Provider.MANUAL  # the office has no settings: manual
    assert meeting.state == MeetingState.CREATED
    assert meeting.join_url == LINK


@pytest.mark.parametrize("link", [
    "http://meet.google.com/abc-defg-hij",
    "javascript:alert(1)",
    "meet.google.com/abc-defg-hij",
    "ftp://example.test/x",
    "https://",
])
def test_it_refuses_a_link_that_is_not_https(
    office, registration_documents_accepted, start_at, verifier, link
):
    with pytest.raises(ValidationError) as e:
        meeting_schedule(
            registration=registration_documents_accepted,
            start_at=start_at,
            actor=verifier,
            manual_url=link,
        )

    assert e.value.messages == [str(ERR_LINK_NOT_HTTPS)]
    assert not Meeting.objects.exists()


def test_it_asks_for_a_link_when_the_office_uses_manual_links(
    office, registration_documents_accepted, start_at
):
    with pytest.raises(ValidationError) as e:
        meeting_schedule(registration=registration_documents_accepted, start_at=start_at)

    assert e.value.messages == [str(ERR_LINK_REQUIRED)]


def test_a_pasted_link_overrides_the_offices_zoom(
    zoom_office, fake_zoom, registration_documents_accepted, start_at, verifier
):
    meeting = meeting_schedule(
        registration=registration_documents_accepted,
        start_at=start_at,
        actor=verifier,
        manual_url=LINK,
    )

    assert meeting.provider == Provider.MANUAL
    assert meeting.state == MeetingState.CREATED
    assert fake_zoom.requests == []


def test_it_changes_the_link_on_reschedule_only_for_manual_meetings(
    office, registration_documents_accepted, start_at, verifier
):
    meeting = meeting_schedule(
        registration=registration_documents_accepted,
        start_at=start_at,
        actor=verifier,
        manual_url=LINK,
    )
    new_link = "https://meet.google.com/abc-defg-hij"
    meeting = meeting_reschedule(meeting=meeting, start_at=start_at, actor=verifier,
                                 manual_url=new_link)
    assert meeting.join_url == new_link

    MeetingSettings.objects.create(office=office, provider=Provider.JITSI)
    jitsi = meeting_schedule(
        registration=registration_documents_accepted, start_at=start_at, actor=verifier
    )
    with pytest.raises(ValidationError) as e:
        meeting_reschedule(meeting=jitsi, start_at=start_at, actor=verifier, manual_url=new_link)
    assert e.value.messages == [str(ERR_LINK_ONLY_MANUAL)]
