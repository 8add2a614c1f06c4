"""Survey fixtures: closed registrations, invitations, and answer sets."""

import pytest

from tests.conftest import login
from tests.registrations.factories import make_registration
from verifikasi.registrations import workflow
from verifikasi.survey.models import SurveyInvitation

# The hand-worked example of tests/survey/test_ikm.py: four respondents, U1..U9.
EXAMPLE = [
    (4, 3, 3, 4, 3, 3, 4, 3, 3),
    (3, 3, 4, 4, 3, 4, 4, 3, 3),
    (3, 3, 3, 4, 3, 3, 4, 3, 3),
    (4, 3, 3, 4, 3, 4, 4, 3, 3),
]


def answers(values) -> dict:
    return {f"u{i}": v for i, v in enumerate(values, start=1)}


def complete(registration):
    """The vendor confirms receipt (C.7, C.10): the lifecycle closes the registration."""
    return workflow.transition(registration, "confirm_receipt", actor=registration.vendor)


@pytest.fixture
def completed(vendor, office):
    return complete(make_registration(vendor, office, status="certificate_sent"))


@pytest.fixture
def invitation(completed):
    return SurveyInvitation.objects.get(registration=completed)


@pytest.fixture
def admin_client(admin_user):
    from django.test import Client

    return login(Client(), admin_user)
