"""A data subject's requests on the statutory clock (UU PDP Pasal 6–9, 14, 31–32).

The vendor files a correction, a deletion or a withdrawal of consent; the office's staff
decide with a reason within 3×24 hours; the letter is generated from the decision,
stored, and sent through the outbox. The office head is emailed once when less than a
day is left. Every step is written to the audit log.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verifikasi.accounts.models import Role, User
from verifikasi.core.audit import audit_log
from verifikasi.core.validators import text_within
from verifikasi.notifications.services import email_queue
from verifikasi.registrations import workflow

from .corrections import FIELD_CHOICES, correction_apply, field_label
from .erasure import erasure_apply, erasure_plan
from .holdings import holdings_for
from .models import RESPONSE_TIME, DataRequest, RequestDecision, RequestKind, RequestStatus

MAX_TEXT = 2000
REMIND_BEFORE = timedelta(hours=24)

ERR_KIND = _("Jenis permintaan tidak dikenal.")
ERR_FIELD = _("Pilih data yang perlu diperbaiki.")
ERR_DETAILS = _("Jelaskan apa yang salah dan apa yang benar.")
ERR_DUPLICATE = _("Permintaan yang sama masih ditinjau. Tunggu jawabannya terlebih dahulu.")
ERR_DECISION = _("Pilih keputusan: dikabulkan atau ditolak.")
ERR_REASON = _("Tuliskan alasan keputusan; alasan ini dikirim kepada pemohon.")
ERR_ANSWERED = _("Permintaan ini sudah dijawab.")


def data_request_file(*, user: User, office, kind: str, registration=None, field: str = "",
                      details: str = "", request=None) -> DataRequest:
    """The vendor asks (Pasal 14: recorded); the clock starts at receipt."""
    if kind not in RequestKind.values:
        raise ValidationError(ERR_KIND)
    details = text_within(details, max_length=MAX_TEXT)
    if kind == RequestKind.CORRECTION:
        if field not in dict(FIELD_CHOICES):
            raise ValidationError(ERR_FIELD)
        if not details:
            raise ValidationError(ERR_DETAILS)
    else:
        field = ""
    office = registration.office if registration is not None else office
    now = timezone.now()
    with transaction.atomic():
        # One open request of a kind per person and registration (a double click files one).
        User.objects.select_for_update().filter(pk=user.pk).first()
        if DataRequest.objects.filter(requester=user, kind=kind, registration=registration,
                                      status=RequestStatus.RECEIVED).exists():
            raise ValidationError(ERR_DUPLICATE)
        data_request = DataRequest.objects.create(
            office=office, requester=user, registration=registration, kind=kind,
            field=field, details=details, received_at=now, deadline=now + RESPONSE_TIME)
        audit_log(action="privacy.request_received", actor=user, office=office,
                  obj=data_request, request=request,
                  details={"kind": kind, "field": field})
    return data_request


def data_request_decide(*, data_request: DataRequest, actor: User, decision: str,
                        reason: str, request=None) -> DataRequest:
    """Staff decide with a reason; what the decision causes and the letter, in one go."""
    workflow.require_office("answer_data_request", data_request.office, actor)
    if decision not in RequestDecision.values:
        raise ValidationError(ERR_DECISION)
    reason = text_within(reason, max_length=MAX_TEXT)
    if not reason:
        raise ValidationError(ERR_REASON)
    with transaction.atomic():
        current = DataRequest.objects.select_for_update(of=("self",)).select_related(
            "registration", "requester", "office").get(pk=data_request.pk)
        if not current.is_open:
            raise ValidationError(ERR_ANSWERED)
        plan, outcome = [], ""
        if current.kind != RequestKind.CORRECTION:
            plan = erasure_plan(holdings_for(current.requester), current.office)
        if decision == RequestDecision.ACCEPTED:
            if current.kind == RequestKind.CORRECTION:
                outcome = correction_apply(data_request=current, actor=actor, request=request)
            else:
                erasure_apply(data_request=current, plan=plan, request=request)
        now = timezone.now()
        current.decision, current.reason, current.decided_at = decision, reason, now
        email = email_queue(
            template="privacy_request_answered", to=current.requester.email,
            office=current.office,
            context={"data_request": current, "plan": plan, "outcome": outcome,
                     "field_label": field_label(current.field),
                     "accepted": decision == RequestDecision.ACCEPTED})
        DataRequest.objects.filter(pk=current.pk).update(
            status=RequestStatus.ANSWERED, decision=decision, reason=reason, decided_by=actor,
            decided_at=now, letter_subject=email.subject, letter_text=email.body_text,
            letter_email=email)
        audit_log(action="privacy.request_answered", actor=actor, office=current.office,
                  obj=current, request=request,
                  details={"kind": current.kind, "decision": decision,
                           "late": now > current.deadline})
    data_request.refresh_from_db()
    return data_request


def _heads(office) -> list[str]:
    heads = User.objects.filter(office=office, role=Role.COORDINATOR, is_active=True)
    return sorted(heads.values_list("email", flat=True)) or [office.reply_to_email]


def data_requests_remind(*, now=None) -> int:
    """Upkeep: once per request, email the office head when less than a day is left."""
    now = now or timezone.now()
    due = DataRequest.objects.filter(
        Q(head_reminded_at__isnull=True), status=RequestStatus.RECEIVED,
        deadline__lte=now + REMIND_BEFORE).select_related("office")
    count = 0
    for data_request in due:
        with transaction.atomic():
            claimed = DataRequest.objects.filter(
                pk=data_request.pk, head_reminded_at__isnull=True,
                status=RequestStatus.RECEIVED).update(head_reminded_at=now)
            if not claimed:
                continue  # another worker did it, or it was just answered
            email_queue(template="privacy_request_due", to=_heads(data_request.office),
                        office=data_request.office,
                        context={"data_request": data_request})
            audit_log(action="privacy.request_reminded", office=data_request.office,
                      obj=data_request, details={"deadline": data_request.deadline})
        count += 1
    return count
