"""Bad input never reaches a 500: every page, for every role, in several states, with
garbage in its form fields and query string (the non-negotiable: a clear message,
nothing changed)."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import login
from tests.registrations.factories import add_all_documents, make_registration
from verifikasi.core.models import AuditEvent
from verifikasi.notifications.models import OfficeMessage
from verifikasi.privacy.requests import data_request_file

GARBAGE = {
    "decision": "maybe", "reasons": ["x", "-1", "99999999"], "note": "x" * 5000,
    "verifier": "not-a-uuid", "meeting": "bukan-uuid", "url": "javascript:alert(1)",
    "field": "password", "listed": "2", "reason": "", "outcome": "menang",
    "attendee": "alien", "started": "25:99", "ended": "x", "slots": ["2026-13-45T99:99"],
    "start": "kemarin", "confirmed": "yes", "spse_user_id": "", "consent": "0",
    "halaman": "-3", "setelah": "99999999999999999.zz", "sebelum": "-1", "status": "bogus",
    "assigned": "x", "waited": "abc", "q": "\x00%_'\"",
    "npwp": "' OR 1=1 --", "nib": "<script>", "director_nik": "9" * 40, "phone": "+",
    "province": "Atlantis", "business_form": "kerajaan", "email": "not-an-email",
    "minggu": "1999-02-31", "start_date": "x", "end_date": "y", "slot_minutes": "-5",
    "capacity": "1e9", "days": "1e9", "terlambat": "mungkin", "group": "tahun",
    "end": "2026-13-01", "file": "", "files": "",
    "recording": "", "next": "staff_review",
    "subject": "{% load static %}", "body": "{{ registration.vendor.password }}{% if %}",
    "aksi": "simpan",
}
# Buttons that need no input: any POST is a valid request (checked last, for 500s only).
ONE_CLICK_URLS = ["registration_withdraw", "receipt_from_home", "staff_take", "registration_submit",
                  "staff_countersign", "staff_reissue"]
REGISTRATION_URLS = [
    "registration_company", "registration_documents", "staff_review",
    "staff_assign", "staff_flag_field", "staff_blacklist", "staff_complete", "staff_reject",
    "staff_extend_deadline",
    "staff_spse_approval", "staff_close", "call_screen",
    "call_outcome", "call_link", "call_retry", "call_recording_upload", "schedule_manage",
    "schedule_confirm", "schedule_offer", "schedule_staff_reschedule", "schedule_no_show",
    "schedule_vendor", "schedule_propose", "schedule_offer_respond",
    "schedule_reschedule_request", "schedule_invite",
]
TYPE_URLS = ["document_upload", "staff_review_document"]
PLAIN_URLS = ["landing", "home", "staff_queue", "schedule_calendar", "schedule_availability",
              "schedule_closure_add", "certificate_check_upload", "outbox", "zoom_webhook",
              "privacy_my_data", "privacy_request_file", "privacy_staff_requests",
              "incident_list", "incident_new", "incident_export", "report_page", "message_list",
              "whatsapp_contact", "whatsapp_webhook"]
STATES = ["draft", "submitted", "revision_requested", "documents_accepted", "scheduled",
          "verified", "certificate_sent", "completed", "rejected", "lapsed"]


@pytest.fixture(params=["vendor", "verifier", "coordinator", "admin_user", "anonymous"])
def actor_client(request):
    client = Client(raise_request_exception=False)
    if request.param != "anonymous":
        login(client, request.getfixturevalue(request.param))
    return client


def check(client, url):
    for response in (client.get(url, GARBAGE), client.post(url, GARBAGE)):
        assert response.status_code < 500, (url, response.status_code)


@pytest.mark.parametrize("state", STATES)
def test_no_page_answers_garbage_with_a_500(actor_client, vendor, office, state, verifier,
                                           coordinator, admin_user):
    registration = make_registration(vendor, office, status=state, assigned_to=verifier)
    add_all_documents(registration)
    before = AuditEvent.objects.count()
    for name in REGISTRATION_URLS:
        check(actor_client, reverse(name, args=[registration.code]))
    for name in TYPE_URLS:
        check(actor_client, reverse(name, args=[registration.code, "npwp"]))
        check(actor_client, reverse(name, args=[registration.code, "tidak-ada"]))
    for name in PLAIN_URLS:
        check(actor_client, reverse(name))
    for key, fmt in [("throughput", "xlsx"), ("verifiers", "csv"), ("x", "y")]:
        check(actor_client, reverse("report_export", args=[key, fmt]))
    for code in ["00000000-0000-0000-0000-000000000000"]:
        check(actor_client, reverse("staff_review", args=[code]))
        check(actor_client, reverse("document_download", args=[registration.code, code]))
        check(actor_client, reverse("document_check_status", args=[registration.code, code]))
        check(actor_client, reverse("recording_download", args=[code]))
        check(actor_client, reverse("privacy_staff_request", args=[code]))
        check(actor_client, reverse("privacy_export_download", args=[code]))
    data_request = data_request_file(user=vendor, office=office, kind="deletion",
                                     registration=registration)
    check(actor_client, reverse("privacy_staff_request", args=[data_request.code]))
    data_request.refresh_from_db()
    assert data_request.is_open  # a garbage decision decided nothing
    check(actor_client, reverse("document_check_status",
                                args=[registration.code, registration.documents.first().code]))
    check(actor_client, reverse("certificate_check", args=["tidak-ada"]))
    for key in ["registration_rejected", "incident_notice", "tidak-ada"]:
        check(actor_client, reverse("message_edit", args=[key]))
        check(actor_client, reverse("message_revert", args=[key]))
    assert not OfficeMessage.objects.exists()  # a garbage email text was never stored
    check(actor_client, reverse("receipt_confirm", args=["rusak"]))
    registration.refresh_from_db()
    assert registration.status == state  # garbage changed nothing
    # Only reads were audited (document pages, views), never a change of state.
    assert not AuditEvent.objects.filter(pk__gt=before, action__startswith="registration.")
    for name in ONE_CLICK_URLS:
        check(actor_client, reverse(name, args=[registration.code]))


SURVEY_GARBAGE = {**GARBAGE, "periode": "2026-9", "u1": "5", "u2": "-1", "u3": "x", "u4": "",
                  "suggestion": "x" * 5000, "service_days": "1e9", "cost": "x" * 500,
                  "requirements": "", "legal_basis": "\x00"}


def test_no_survey_page_answers_garbage_with_a_500(actor_client, vendor, office, verifier):
    """The service standard, the survey form and its report (issue 19): garbage changes
    nothing; the survey stays unanswered and the standard unsaved."""
    from verifikasi.registrations import workflow
    from verifikasi.survey.models import ServiceStandard, SurveyInvitation, SurveyResponse

    registration = make_registration(vendor, office, status="certificate_sent")
    workflow.transition(registration, "confirm_receipt", actor=vendor)
    invitation = SurveyInvitation.objects.get(registration=registration)
    urls = [reverse(name) for name in ("survey_standard", "survey_public",
                                       "survey_standard_edit", "survey_report",
                                       "survey_report_xlsx")]
    urls += [reverse("survey_standard_office", args=["tidak-ada"]),
             reverse("survey_form", args=[invitation.token]),
             reverse("survey_form", args=["tidak-ada"])]
    for url in urls:
        for response in (actor_client.get(url, SURVEY_GARBAGE),
                         actor_client.post(url, SURVEY_GARBAGE)):
            assert response.status_code < 500, (url, response.status_code)
    invitation.refresh_from_db()
    assert not invitation.used and not SurveyResponse.objects.exists()
    assert not ServiceStandard.objects.exists()
