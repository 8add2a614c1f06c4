"""The verification call as the verifier runs it (spec C.4, C.5, C.6, C.8).

"Pelaksanaan verifikasi dokumen asli Pelaku Usaha secara daring melalui video
call … dengan kewajiban menunjukkan dan memegang dokumen asli" — the verifier
records who attended, whether each original was shown and matches the upload,
when the call started and ended, and the outcome: pass (C.6), not yet (C.8.a
deficiencies explained, C.8.b rescheduled if needed) or no-show.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from verifikasi.core.validators import text_within, validate_single_line
from verifikasi.notifications.services import email_queue
from verifikasi.registrations import workflow
from verifikasi.registrations.models import (
    Decision,
    DeficiencyReason,
    DocumentReview,
    Registration,
    RegistrationStatus,
)
from verifikasi.registrations.review import deficiencies
from verifikasi.registrations.selectors import latest_documents, registration_checklist
from verifikasi.scheduling.closing import appointment_record_no_show

from .models import Attendee, CallDocumentCheck, CallOutcome, VerificationCall
from .selectors import meeting_current

ERR_ATTENDEE = gettext_lazy("Isi siapa yang hadir dan namanya.")
ERR_POWER_OF_ATTORNEY = gettext_lazy(
    "Penerima kuasa harus menunjukkan Surat Kuasa asli; centang bila sudah ditunjukkan.")
ERR_TIMES = gettext_lazy("Isi jam mulai dan selesai video call (selesai setelah mulai).")
ERR_FUTURE = gettext_lazy("Jam mulai video call tidak boleh di masa mendatang.")
ERR_UNCHECKED = gettext_lazy("Belum diperiksa: %(names)s.")
ERR_PASS_MISMATCH = gettext_lazy(
    "Tidak dapat dinyatakan lulus: dokumen asli tidak sesuai — %(names)s.")
ERR_NOTE_NEEDED = gettext_lazy("Tulis catatan untuk dokumen yang tidak sesuai: %(names)s.")
ERR_NOT_YET_REASON = gettext_lazy(
    "Tandai dokumen yang tidak sesuai, atau tulis catatan mengapa verifikasi perlu diulang.")

MISMATCH_REASON = "original_mismatch"


@dataclass
class DocCheck:
    document_type_id: int
    matches: bool | None
    note: str = ""


# The model's limits (VerificationCall, CallDocumentCheck); the notes also go into emails.
MAX_ATTENDEE_NAME, MAX_NOTES, MAX_CHECK_NOTE = 150, 2000, 500


@dataclass
class CallData:
    attendee: str = ""
    attendee_name: str = ""
    power_of_attorney_shown: bool | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    notes: str = ""
    checks: list[DocCheck] | None = None


def _names(registration: Registration, ids) -> str:
    by_id = {i.document_type.pk: i.document_type.name for i in registration_checklist(registration)}
    return ", ".join(by_id[i] for i in ids if i in by_id)


def _validate(registration: Registration, data: CallData, outcome: str) -> list[str]:
    problems = []
    limits = [(_("Nama yang hadir"), data.attendee_name, MAX_ATTENDEE_NAME),
              (_("Catatan"), data.notes, MAX_NOTES),
              *((_("Catatan dokumen"), c.note, MAX_CHECK_NOTE) for c in data.checks or [])]
    for label, value, limit in limits:
        try:
            text_within(value, max_length=limit)
        except ValidationError as e:
            problems.extend(f"{label}: {m}" for m in e.messages)
    if outcome == CallOutcome.NO_SHOW:
        return problems
    if data.attendee not in Attendee.values or not data.attendee_name.strip():
        problems.append(str(ERR_ATTENDEE))
    try:
        validate_single_line(data.attendee_name)
    except ValidationError as e:
        label = _("Nama yang hadir")  # (not inside the f-string: xgettext cannot see it)
        problems.extend(f"{label}: {m}" for m in e.messages)
    if data.attendee == Attendee.REPRESENTATIVE and not data.power_of_attorney_shown:
        problems.append(str(ERR_POWER_OF_ATTORNEY))
    if not data.started_at or not data.ended_at or data.ended_at <= data.started_at:
        problems.append(str(ERR_TIMES))
    elif data.started_at > timezone.now():
        problems.append(str(ERR_FUTURE))
    checks = {c.document_type_id: c for c in data.checks or []}
    required = [item.document_type.pk for item in registration_checklist(registration)]
    unchecked = [i for i in required if checks.get(i) is None or checks[i].matches is None]
    failed = [i for i in required if checks.get(i) is not None and checks[i].matches is False]
    if outcome == CallOutcome.PASS:
        if unchecked:
            problems.append(ERR_UNCHECKED % {"names": _names(registration, unchecked)})
        if failed:
            problems.append(ERR_PASS_MISMATCH % {"names": _names(registration, failed)})
    if outcome == CallOutcome.NOT_YET:
        silent = [i for i in failed if not checks[i].note.strip()]
        if silent:
            problems.append(ERR_NOTE_NEEDED % {"names": _names(registration, silent)})
        if not failed and not data.notes.strip():
            problems.append(str(ERR_NOT_YET_REASON))
    return problems


def _save_call(registration, data: CallData, outcome: str, actor) -> VerificationCall:
    call = VerificationCall.objects.create(
        registration=registration, meeting=meeting_current(registration), verifier=actor,
        attendee=data.attendee if outcome != CallOutcome.NO_SHOW else "",
        attendee_name=data.attendee_name.strip()[:150], outcome=outcome,
        power_of_attorney_shown=data.power_of_attorney_shown,
        started_at=data.started_at, ended_at=data.ended_at, notes=data.notes.strip())
    CallDocumentCheck.objects.bulk_create([
        CallDocumentCheck(call=call, document_type_id=c.document_type_id, matches=c.matches,
                          note=c.note.strip()[:500])
        for c in data.checks or [] if c.matches is not None
    ])
    return call


def call_record(*, registration: Registration, actor, outcome: str, data: CallData,
                request=None) -> VerificationCall:
    """Record the call and move the registration on, all in one transaction."""
    if outcome not in CallOutcome.values:
        raise ValueError(outcome)
    action = {CallOutcome.PASS: "record_pass", CallOutcome.NOT_YET: "record_not_yet",
              CallOutcome.NO_SHOW: "record_no_show"}[outcome]
    workflow.require(action, registration, actor)
    not_yet_possible = workflow.problems(action, registration, actor)
    if not_yet_possible:
        raise ValidationError(not_yet_possible)
    problems = _validate(registration, data, outcome)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        call = _save_call(registration, data, outcome, actor)
        if outcome == CallOutcome.PASS:
            _pass(registration, call, actor, request)
        elif outcome == CallOutcome.NOT_YET:
            _not_yet(registration, call, actor, request)
        else:
            appointment_record_no_show(registration=registration, actor=actor,
                                       note=data.notes, request=request)
    return call


def _pass(registration, call, actor, request):
    """C.6: everything matches — the verifier next approves the account in SPSE."""
    held_on = timezone.localtime(call.started_at, registration.office.tzinfo).date()
    workflow.transition(registration, "record_pass", actor=actor, request=request,
                        fields={"call_held_on": held_on},
                        details={"call": str(call.code), "attendee": call.attendee})


def _not_yet(registration, call, actor, request):
    """C.8.a: explain what does not match; the vendor fixes it (C.3 loop) — or, when the
    documents were fine but the call must be repeated, C.8.b: schedule again."""
    failed = [c for c in call.checks.all() if not c.matches]
    target = (RegistrationStatus.REVISION_REQUESTED if failed
              else RegistrationStatus.DOCUMENTS_ACCEPTED)
    new_round = registration.review_round + 1
    workflow.transition(
        registration, "record_not_yet", actor=actor, request=request, target=target,
        fields={"review_round": new_round} if failed else None,
        data={"call": call, "failed": failed, "round": new_round,
              "note": call.notes or _("Verifikasi video call perlu diulang.")},
        details={"call": str(call.code), "mismatched": [c.document_type_id for c in failed]})


@workflow.effect("record_not_yet")
def call_not_yet_recorded(step: workflow.Step) -> None:
    """C.8.a: each original that did not match goes back to the vendor as a deficiency."""
    reg, actor, call, failed = (step.registration, step.actor, step.data["call"],
                                step.data["failed"])
    if failed:
        reason, _created = DeficiencyReason.objects.get_or_create(
            office=reg.office, code=MISMATCH_REASON,
            defaults={"label": _("Tidak sesuai dengan dokumen asli saat video call"),
                      "order": 90})
        latest = latest_documents(reg)
        for check in failed:
            review = DocumentReview.objects.create(
                registration=reg, round=step.data["round"],
                document_type_id=check.document_type_id,
                document=latest[check.document_type_id], decision=Decision.NEEDS_FIX,
                note=check.note, reviewer=actor)
            review.reasons.set([reason])
    email_queue(template="call_not_yet", to=reg.vendor.email, office=reg.office,
                context={"registration": reg, "call": call,
                         "deficiencies": deficiencies(reg) if failed else [],
                         "needs_revision": bool(failed)})
