"""The survey form behind the emailed link: one anonymous answer set per invitation."""

import pytest
from django.db import models
from django.urls import reverse

from tests.conftest import assert_private_no_store
from tests.survey.conftest import EXAMPLE, answers
from verifikasi.core.models import AuditEvent
from verifikasi.survey.models import SurveyInvitation, SurveyResponse


def url(invitation):
    return reverse("survey_form", args=[invitation.token])


def test_it_shows_the_nine_questions_with_the_regulation_answers(client, invitation):
    response = client.get(url(invitation))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('type="radio"') == 36
    for words in ("Sangat sesuai", "Gratis", "Dikelola dengan baik", "Sangat kompeten",
                  "Penanganan pengaduan, saran, dan masukan", "Sarana dan prasarana"):
        assert words in page
    assert_private_no_store(response)


def test_it_stores_the_answers_without_who_gave_them(client, invitation, office):
    response = client.post(url(invitation), {**answers(EXAMPLE[0]),
                                              "suggestion": "Tambah jam layanan"})
    assert response.status_code == 200
    assert "Terima kasih" in response.content.decode()
    [stored] = SurveyResponse.objects.all()
    assert (stored.office, stored.u1, stored.u9, stored.suggestion) == (
        office, 4, 3, "Tambah jam layanan")
    assert stored.month.day == 1
    invitation.refresh_from_db()
    assert invitation.used
    event = AuditEvent.objects.get(action="survey.response_received")
    assert event.actor is None and event.object_id == "" and not event.ip


def test_a_response_has_no_link_to_a_person_or_a_registration():
    fields = SurveyResponse._meta.get_fields()
    related = {f.related_model._meta.label for f in fields if f.is_relation}
    assert related == {"offices.Office"}
    assert not [f for f in fields if isinstance(f, models.DateTimeField)]
    assert isinstance(SurveyResponse._meta.pk, models.UUIDField)
    # ... and the invitation records only that it was used, never when.
    assert {f.name for f in SurveyInvitation._meta.get_fields()} == {
        "id", "office", "registration", "token", "created_at", "used"}


def test_it_takes_one_answer_set_per_invitation(client, invitation):
    client.post(url(invitation), answers(EXAMPLE[0]))
    response = client.post(url(invitation), answers(EXAMPLE[1]))
    assert "sudah diisi" in response.content.decode()
    assert SurveyResponse.objects.count() == 1


@pytest.mark.parametrize("data", [
    {},
    answers([4, 4, 4, 4, 4, 4, 4, 4]),  # one question left out
    answers([5, 4, 4, 4, 4, 4, 4, 4, 4]),
    answers([0, 4, 4, 4, 4, 4, 4, 4, 4]),
    answers(["x", 4, 4, 4, 4, 4, 4, 4, 4]),
    {**answers([4] * 9), "suggestion": "x" * 2001},
])
def test_bad_input_is_refused_in_indonesian_and_changes_nothing(client, invitation, data):
    response = client.post(url(invitation), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Pilih satu jawaban" in page or "paling banyak 2000" in page
    assert not SurveyResponse.objects.exists()
    invitation.refresh_from_db()
    assert not invitation.used


@pytest.mark.parametrize("token", ["tidak-ada", "x" * 200])
def test_an_unknown_link_is_a_404(client, db, token):
    assert client.get(reverse("survey_form", args=[token])).status_code == 404
