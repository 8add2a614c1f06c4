from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from tests.fakes.zoom import ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET, fake_zoom  # noqa: F401
from tests.registrations.factories import make_registration
from verifikasi.meetings.models import MeetingSettings, Provider
from verifikasi.registrations.models import RegistrationStatus

WEBHOOK_SECRET = "k7Qz1vR0aWebhookSecretToken"


@pytest.fixture
def registration_documents_accepted(vendor, office):
    return make_registration(vendor, office, status=RegistrationStatus.DOCUMENTS_ACCEPTED)


@pytest.fixture
def zoom_office(office, fake_zoom):  # noqa: F811 - the fixture imported above
    MeetingSettings.objects.create(
        office=office, provider=Provider.ZOOM, zoom_account_id=ACCOUNT_ID,
        zoom_client_id=CLIENT_ID, zoom_client_secret=CLIENT_SECRET,
        zoom_webhook_secret_token=WEBHOOK_SECRET,
    )
    return office


@pytest.fixture
def start_at():
    """Tomorrow at 10:00 in Ketapang (WIB, UTC+7)."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    return datetime(tomorrow.year, tomorrow.month, tomorrow.day, 10, 0,
                    tzinfo=timezone.get_current_timezone())
