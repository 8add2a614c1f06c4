"""Privacy fixtures: a vendor with a registration, a second office's staff."""

import pytest

from tests.conftest import login, make_user
from tests.registrations.factories import add_all_documents, give_consent, make_registration
from verifikasi.accounts.models import Role


@pytest.fixture
def registration(vendor, office):
    reg = make_registration(vendor, office)
    add_all_documents(reg)
    give_consent(reg)
    return reg


@pytest.fixture
def other_office_verifier(other_office):
    return make_user("verifikator@sambas.test", Role.VERIFIER, other_office, totp=True,
                     full_name="Verifikator Sambas")


@pytest.fixture
def staff_client(client, verifier):
    return login(client, verifier)
