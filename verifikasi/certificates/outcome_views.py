"""The outcome on the staff's registration page: SPSE approval, countersign, the
certificate, closing (C.6–C.10)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from verifikasi.accounts.decorators import team_required
from verifikasi.registrations import workflow
from verifikasi.registrations.models import RegistrationStatus
from verifikasi.registrations.panels import panel
from verifikasi.registrations.selectors import registration_for_office_staff
from verifikasi.registrations.views.staff import registration_url

from . import outcome
from .selectors import certificate_current, certificate_settings_get

OUTCOME_STATES = {RegistrationStatus.VERIFIED, RegistrationStatus.CERTIFICATE_SENT,
                  RegistrationStatus.COMPLETED}


@panel("outcome", template="certificates/_outcome_panel.html", order=50)
def outcome_panel(request, registration):
    """What the staff see of the outcome once the call passed."""
    if registration.status not in OUTCOME_STATES:
        return None
    user = request.user
    certificate = certificate_current(registration)
    return {
        "certificate": certificate,
        "require_countersign": certificate_settings_get(registration.office).require_countersign,
        "can_record_approval": workflow.can(registration, "record_spse_approval", user),
        "can_countersign": workflow.can(registration, "countersign", user)
        and user != registration.spse_approved_by,
        "can_revoke": certificate is not None and not certificate.revoked_at
        and workflow.can(registration, "revoke_certificate", user),
        "can_reissue": workflow.can(registration, "reissue_certificate", user),
        "can_close": workflow.can(registration, "confirm_receipt", user)
        and outcome.receipt_close_allowed(registration),
    }


def _registration(request, code):
    return registration_for_office_staff(request.user, code)


def _done(request, registration, problems: list[str], success: str):
    """Back to the outcome panel, with what went wrong or what happened."""
    if problems:
        messages.error(request, " ".join(problems))
    else:
        messages.success(request, success)
    return redirect(f"{registration_url(registration)}#hasil")


@team_required
@require_POST
def spse_approval(request, code):
    """C.6.a: record that the account was approved in SPSE (then the certificate follows)."""
    registration = _registration(request, code)
    problems = workflow.attempt(
        outcome.spse_approval_record, registration=registration, actor=request.user,
        confirmed=request.POST.get("confirmed") == "1",
        spse_user_id=request.POST.get("spse_user_id", ""), request=request)
    registration.refresh_from_db()
    if registration.status == RegistrationStatus.CERTIFICATE_SENT:
        success = _("Tanda lulus verifikasi diterbitkan dan dikirim ke email Pelaku Usaha.")
    else:
        success = _("Persetujuan SPSE tercatat; menunggu persetujuan kedua dari ketua tim.")
    return _done(request, registration, problems, success)


@team_required
@require_POST
def countersign(request, code):
    registration = _registration(request, code)
    problems = workflow.attempt(outcome.countersign, registration=registration,
                                actor=request.user, request=request)
    return _done(request, registration, problems,
                 _("Disetujui. Tanda lulus verifikasi diterbitkan."))


@team_required
@require_POST
def close(request, code):
    """After the receipt reminder period a coordinator closes with a note (C.9, C.10)."""
    registration = _registration(request, code)
    workflow.require("confirm_receipt", registration, request.user)
    problems = workflow.attempt(outcome.receipt_confirm, registration=registration,
                                actor=request.user, note=request.POST.get("note", ""),
                                request=request)
    return _done(request, registration, problems, _("Pendaftaran ditutup."))


@team_required
@require_POST
def reissue(request, code):
    """A corrected certificate after the coordinator revoked the previous one."""
    registration = _registration(request, code)
    problems = workflow.attempt(outcome.certificate_reissue, registration=registration,
                                actor=request.user, request=request)
    certificate = None if problems else certificate_current(registration)
    return _done(request, registration, problems,
                 "" if problems else _("Tanda lulus baru nomor %(number)s diterbitkan dan "
                                       "dikirim.") % {"number": certificate.number})
