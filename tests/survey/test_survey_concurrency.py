"""One answer set per invitation even when the form is sent several times at once
(PostgreSQL, one connection per thread)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from tests.registrations.factories import make_registration
from tests.survey.conftest import EXAMPLE, answers, complete
from verifikasi.survey.invitations import survey_respond
from verifikasi.survey.models import SurveyInvitation, SurveyResponse


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_answers_to_one_invitation_store_one(restore_seed_data, vendor, office):
    assert connection.vendor == "postgresql"
    registration = complete(make_registration(vendor, office, status="certificate_sent"))
    invitation = SurveyInvitation.objects.get(registration=registration)
    barrier = threading.Barrier(6)
    stored, refused, errors = [], [], []

    def worker(n):
        try:
            barrier.wait(timeout=10)
            survey_respond(invitation=SurveyInvitation.objects.get(pk=invitation.pk),
                           answers=answers(EXAMPLE[n % 4]))
            stored.append(n)
        except ValidationError as e:
            refused.append(e)
        except Exception as e:  # reported below
            errors.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    assert (len(stored), len(refused)) == (1, 5)
    assert SurveyResponse.objects.count() == 1
