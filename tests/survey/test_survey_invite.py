"""The SKM invitation: an effect of closing a registration, sent once, by real SMTP."""

from django.urls import reverse

from tests.conftest import run_worker
from tests.registrations.factories import make_registration
from tests.survey.conftest import complete
from verifikasi.notifications.models import OutboundEmail
from verifikasi.registrations import workflow
from verifikasi.registrations.review import registration_reject
from verifikasi.survey.invitations import survey_invite
from verifikasi.survey.models import SurveyInvitation


def test_it_invites_the_vendor_by_email_when_they_confirm_receipt(
        vendor, office, smtp_server):
    registration = complete(make_registration(vendor, office, status="certificate_sent"))
    invitation = SurveyInvitation.objects.get(registration=registration)
    assert not invitation.used
    run_worker()
    [message] = [m for m in smtp_server.to(vendor.email) if "Survei kepuasan" in m["Subject"]]
    link = reverse("survey_form", args=[invitation.token])
    assert [u for u in message.links() if u.endswith(link)]
    assert "tanpa nama" in message.text


def test_it_invites_a_rejected_vendor_too(vendor, office, verifier):
    registration = make_registration(vendor, office, status="submitted")
    registration_reject(registration=registration, actor=verifier, reason="Dokumen palsu")
    assert SurveyInvitation.objects.filter(registration=registration).count() == 1
    assert OutboundEmail.objects.filter(template="survey_invitation",
                                        to=[vendor.email]).count() == 1


def test_it_invites_only_once_per_registration(completed):
    step = workflow.Step("confirm_receipt", completed, completed.vendor)
    survey_invite(step)
    survey_invite(step)
    assert SurveyInvitation.objects.filter(registration=completed).count() == 1
    assert OutboundEmail.objects.filter(template="survey_invitation").count() == 1


def test_no_other_transition_invites(vendor, office, verifier):
    registration = make_registration(vendor, office, status="draft")
    workflow.transition(registration, "withdraw", actor=vendor)
    assert not SurveyInvitation.objects.exists()


def test_the_vendor_home_offers_the_survey_until_it_is_filled(
        vendor_client, invitation):
    page = vendor_client.get(reverse("vendor_home")).content.decode()
    assert reverse("survey_form", args=[invitation.token]) in page
    invitation.used = True
    invitation.save()
    page = vendor_client.get(reverse("vendor_home")).content.decode()
    assert reverse("survey_form", args=[invitation.token]) not in page


def test_another_vendor_home_shows_no_survey(client, other_vendor, invitation):
    from tests.conftest import login

    page = login(client, other_vendor).get(reverse("vendor_home")).content.decode()
    assert invitation.token not in page
