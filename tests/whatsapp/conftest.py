import pytest

from tests.fakes.whatsapp import fake_whatsapp  # noqa: F401
from tests.registrations.factories import make_registration
from verifikasi.whatsapp.models import WhatsAppContact

PHONE = "+6281234567890"


@pytest.fixture
def registration(vendor, office):
    return make_registration(vendor, office)


@pytest.fixture
def opted_in(vendor):
    return WhatsAppContact.objects.create(user=vendor, phone=PHONE, opted_in=True)


@pytest.fixture
def whatsapp_office(office, fake_whatsapp):  # noqa: F811 - the fixture imported above
    fake_whatsapp.configure(office)
    return office
