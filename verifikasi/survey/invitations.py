"""Inviting the vendor to the SKM survey, once, and taking their answers anonymously.

The invitation is an effect of the lifecycle (the registration completed or was
rejected), registered here so the registrations app never learns about surveys.
It writes the invitation row and queues the email in the transition's own
transaction. The answers are stored without the invitation: the invitation only
flips ``used`` (a conditional UPDATE, so one response per invitation even when
the form is sent twice at once).
"""

import secrets
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verifikasi.core.audit import audit_log
from verifikasi.core.prepared import Prepared
from verifikasi.notifications.services import email_queue
from verifikasi.registrations import workflow

from .elements import CODES, SCALE
from .models import SurveyInvitation, SurveyResponse

ERR_USED = _("Survei ini sudah diisi. Terima kasih atas penilaian Anda.")
ERR_ANSWER = _("Pilih satu jawaban untuk setiap unsur pelayanan.")


def survey_url(invitation: SurveyInvitation) -> str:
    return settings.SITE_URL + reverse("survey_form", args=[invitation.token])


@workflow.effect("confirm_receipt", "reject")
def survey_invite(step: workflow.Step) -> None:
    """A closed registration (C.10, or rejected) invites its vendor to the SKM, once."""
    registration = step.registration
    if SurveyInvitation.objects.filter(registration=registration).exists():
        return
    invitation = SurveyInvitation.objects.create(
        office=registration.office, registration=registration,
        token=secrets.token_urlsafe(32), created_at=timezone.now())
    email_queue(template="survey_invitation", to=registration.vendor.email,
                context={"registration": registration, "survey_url": survey_url(invitation)},
                office=registration.office)


def invitation_for_token(token: str) -> SurveyInvitation | None:
    if not token or len(token) > 64:
        return None
    return SurveyInvitation.objects.select_related("office").filter(token=token).first()


_invitation_pending = Prepared(  # compiled once per connection (core.prepared)
    lambda vendor_id: SurveyInvitation.objects.filter(
        registration__vendor_id=vendor_id, used=False).order_by("-created_at"),
    first=True, vendor_id=int)


def invitation_pending_for(vendor) -> SurveyInvitation | None:
    """The vendor's newest survey still to fill (for their home page)."""
    return _invitation_pending(vendor_id=vendor.pk)


def _month(office, now):
    return timezone.localtime(now, zoneinfo.ZoneInfo(office.timezone)).date().replace(day=1)


def survey_respond(*, invitation: SurveyInvitation, answers: dict, suggestion: str = "",
                   request=None) -> SurveyResponse:
    """Store one anonymous answer set for ``invitation`` and mark it used (once only).

    The audit event names the office only: who answered what is not recorded anywhere.
    """
    values = {}
    for code in CODES:
        try:
            value = int(answers.get(code))
        except (TypeError, ValueError):
            raise ValidationError(ERR_ANSWER) from None
        if value not in SCALE:
            raise ValidationError(ERR_ANSWER)
        values[code] = value
    with transaction.atomic():
        claimed = SurveyInvitation.objects.filter(pk=invitation.pk, used=False).update(used=True)
        if not claimed:
            raise ValidationError(ERR_USED)
        response = SurveyResponse(office=invitation.office,
                                  month=_month(invitation.office, timezone.now()),
                                  suggestion=(suggestion or "").strip()[:2000], **values)
        response.full_clean()
        response.save(force_insert=True)
        audit_log(action="survey.response_received", office=invitation.office,
                  object_type="survey.surveyresponse", object_id="")
    invitation.used = True
    return response
