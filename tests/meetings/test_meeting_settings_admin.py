"""The Admin LPSE sets the office's video call provider; secrets are write-only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.meetings import mp4_bytes
from verifikasi.meetings.models import Meeting, MeetingSettings
from verifikasi.meetings.recordings import recording_upload
from verifikasi.meetings.services import meeting_schedule

SECRET = "zoom-client-secret-value-987"
WEBHOOK = "webhook-secret-token-value-654"


def _form(office, **changes):
    data = {
        "office": office.pk, "provider": "zoom", "default_duration_minutes": 30,
        "recording_retention_days": "", "zoom_account_id": "acc", "zoom_client_id": "cid",
        "zoom_client_secret": SECRET, "zoom_user_id": "me",
        "zoom_webhook_secret_token": WEBHOOK, "jitsi_domain": "meet.jit.si",
        "jitsi_app_id": "", "jitsi_app_secret": "", "jitsi_audience": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def saved(office_admin_client, office):
    response = office_admin_client.post(
        reverse("admin:meetings_meetingsettings_add"), _form(office)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return MeetingSettings.objects.get(office=office)


def test_it_stores_the_secrets_but_never_shows_them_back(office_admin_client, saved):
    assert saved.zoom_client_secret == SECRET
    assert saved.zoom_webhook_secret_token == WEBHOOK

    page = office_admin_client.get(
        reverse("admin:meetings_meetingsettings_change", args=[saved.pk])
    )

    html = page.content.decode()
    assert page.status_code == 200
    assert SECRET not in html
    assert WEBHOOK not in html
    assert "Kosongkan untuk tidak mengubah" in html


def test_it_keeps_a_secret_left_empty_and_replaces_a_new_one(office_admin_client, office, saved):
    url = reverse("admin:meetings_meetingsettings_change", args=[saved.pk])

    office_admin_client.post(
        url,
        _form(
            office,
            zoom_client_secret="",
            zoom_webhook_secret_token="baru",
            default_duration_minutes=45,
        ),
    )

    saved.refresh_from_db()
    assert saved.zoom_client_secret == SECRET
    assert saved.zoom_webhook_secret_token == "baru"
    assert saved.default_duration_minutes == 45


def test_it_clears_a_secret_only_when_asked(office_admin_client, office, saved):
    url = reverse("admin:meetings_meetingsettings_change", args=[saved.pk])

    office_admin_client.post(url, _form(office, zoom_client_secret="", zoom_webhook_secret_token="",
                                 clear_zoom_webhook_secret_token="on"))

    saved.refresh_from_db()
    assert saved.zoom_client_secret == SECRET
    assert saved.zoom_webhook_secret_token == ""


def test_it_refuses_zoom_without_credentials(office_admin_client, office):
    response = office_admin_client.post(reverse("admin:meetings_meetingsettings_add"),
                                 _form(office, zoom_client_secret=""))

    assert response.status_code == 200
    assert "Untuk Zoom, isi Account ID, Client ID dan Client Secret." in response.content.decode()
    assert not MeetingSettings.objects.exists()


def test_the_meeting_admin_hides_the_host_link(
    office_admin_client, office, registration_documents_accepted, start_at
):
    meeting = meeting_schedule(registration=registration_documents_accepted, start_at=start_at,
                               manual_url="https://meet.google.com/abc-defg-hij")
    Meeting.objects.filter(pk=meeting.pk).update(host_url="https://zoom.test/s/1?zak=RAHASIA")

    page = office_admin_client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))

    assert page.status_code == 200
    assert "RAHASIA" not in page.content.decode()


def test_the_recording_admin_shows_the_record_without_a_file_link(
    office_admin_client, admin_user, registration_documents_accepted, start_at
):
    meeting = meeting_schedule(registration=registration_documents_accepted, start_at=start_at,
                               manual_url="https://meet.google.com/abc-defg-hij")
    recording = recording_upload(meeting=meeting, actor=admin_user,
                                 uploaded_file=SimpleUploadedFile("r.mp4", mp4_bytes()))

    changelist = office_admin_client.get(reverse("admin:meetings_recording_changelist"))
    page = office_admin_client.get(reverse("admin:meetings_recording_change", args=[recording.pk]))

    assert changelist.status_code == 200
    assert page.status_code == 200
    assert recording.sha256 in page.content.decode()
    assert recording.file.name not in page.content.decode()
