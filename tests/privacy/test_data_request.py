"""DataRequest: filing, the 3×24-hour clock, decisions through the lifecycle, the letter."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.formats import date_format

from tests.registrations.factories import make_registration
from verifikasi.core.models import AuditEvent
from verifikasi.notifications.models import OutboundEmail
from verifikasi.privacy import requests
from verifikasi.privacy.models import DataRequest, RequestDecision, RequestKind, RequestStatus
from verifikasi.registrations import workflow
from verifikasi.registrations.models import Document, FieldFlag, Registration
from verifikasi.registrations.models import RegistrationStatus as S


def file(vendor, office, registration, kind, **kw):
    return requests.data_request_file(user=vendor, office=office, kind=kind,
                                      registration=registration, **kw)


def set_status(registration, status, **fields):
    Registration.objects.filter(pk=registration.pk).update(status=status, **fields)
    registration.refresh_from_db()


def test_it_starts_the_clock_at_receipt(vendor, office, registration):
    dr = file(vendor, office, registration, RequestKind.DELETION)
    assert dr.deadline - dr.received_at == timedelta(hours=72)
    assert dr.status == RequestStatus.RECEIVED and dr.decision == ""
    assert AuditEvent.objects.filter(action="privacy.request_received",
                                     object_id=str(dr.code)).exists()


def test_it_refuses_a_correction_without_field_or_details(vendor, office, registration):
    with pytest.raises(ValidationError) as e:
        file(vendor, office, registration, RequestKind.CORRECTION, details="salah")
    assert requests.ERR_FIELD in e.value.messages
    with pytest.raises(ValidationError):
        file(vendor, office, registration, RequestKind.CORRECTION, field="company_name")
    with pytest.raises(ValidationError):
        file(vendor, office, registration, "sembarang")
    assert not DataRequest.objects.exists()


def test_it_refuses_a_second_open_request_of_the_same_kind(vendor, office, registration):
    file(vendor, office, registration, RequestKind.DELETION)
    with pytest.raises(ValidationError) as e:
        file(vendor, office, registration, RequestKind.DELETION)
    assert requests.ERR_DUPLICATE in e.value.messages
    assert DataRequest.objects.count() == 1


def test_a_decision_needs_a_reason_and_staff_of_that_office(
        vendor, office, registration, verifier, other_office_verifier):
    dr = file(vendor, office, registration, RequestKind.DELETION)
    with pytest.raises(ValidationError):
        requests.data_request_decide(data_request=dr, actor=verifier,
                                     decision=RequestDecision.REFUSED, reason="  ")
    with pytest.raises(workflow.WorkflowError):
        requests.data_request_decide(data_request=dr, actor=other_office_verifier,
                                     decision=RequestDecision.REFUSED, reason="x")
    with pytest.raises(workflow.WorkflowError):
        requests.data_request_decide(data_request=dr, actor=vendor,
                                     decision=RequestDecision.ACCEPTED, reason="x")
    dr.refresh_from_db()
    assert dr.is_open


def test_accepted_deletion_withdraws_through_the_map_and_purges_now(
        vendor, office, registration, verifier):
    files = [d.file.name for d in registration.documents.all()]
    assert files and all(default_storage.exists(f) for f in files)
    set_status(registration, S.SUBMITTED)
    dr = file(vendor, office, registration, RequestKind.DELETION)
    requests.data_request_decide(data_request=dr, actor=verifier,
                                 decision=RequestDecision.ACCEPTED,
                                 reason="Verifikasi belum selesai.")
    registration.refresh_from_db()
    assert registration.status == S.WITHDRAWN
    assert registration.director_nik == ""
    assert not any(default_storage.exists(f) for f in files)
    assert not Document.objects.filter(registration=registration, purged_at__isnull=True)
    assert AuditEvent.objects.filter(action="registration.withdraw").exists()
    assert AuditEvent.objects.filter(action="privacy.documents_erased").exists()
    dr.refresh_from_db()
    assert dr.status == RequestStatus.ANSWERED and dr.decided_by == verifier
    assert "Dihapus sekarang" in dr.letter_text
    assert dr.letter_email.to == [vendor.email]


def test_accepted_deletion_keeps_a_completed_verification_and_says_until_when(
        vendor, office, registration, coordinator, settings):
    set_status(registration, S.COMPLETED)
    dr = file(vendor, office, registration, RequestKind.CONSENT_WITHDRAWAL)
    requests.data_request_decide(data_request=dr, actor=coordinator,
                                 decision=RequestDecision.ACCEPTED, reason="Dicatat.")
    registration.refresh_from_db()
    assert registration.status == S.COMPLETED
    assert registration.director_nik  # kept
    until = (timezone.localdate(registration.status_changed_at)
             + timedelta(days=settings.DOCUMENT_RETENTION_DAYS))
    dr.refresh_from_db()
    assert f"Tetap disimpan sampai {date_format(until, 'DATE_FORMAT')}" in dr.letter_text
    assert "arsip pengadaan" in dr.letter_text


def test_accepted_correction_reopens_the_form_with_the_field_flagged(
        vendor, office, registration, verifier):
    set_status(registration, S.SUBMITTED)
    dr = file(vendor, office, registration, RequestKind.CORRECTION, field="company_name",
              details="Nama yang benar: CV Maju Jaya Abadi")
    requests.data_request_decide(data_request=dr, actor=verifier,
                                 decision=RequestDecision.ACCEPTED, reason="Sesuai akta.")
    registration.refresh_from_db()
    assert registration.status == S.REVISION_REQUESTED
    flag = FieldFlag.objects.get(registration=registration, field="company_name")
    assert flag.note.startswith("Nama yang benar")
    assert AuditEvent.objects.filter(action="registration.reopen_for_correction").exists()
    assert "dibuka kembali" in DataRequest.objects.get(pk=dr.pk).letter_text


def test_accepted_correction_after_the_certificate_changes_nothing_silently(
        vendor, office, registration, coordinator):
    set_status(registration, S.COMPLETED)
    dr = file(vendor, office, registration, RequestKind.CORRECTION, field="company_name",
              details="Salah ketik")
    requests.data_request_decide(data_request=dr, actor=coordinator,
                                 decision=RequestDecision.ACCEPTED, reason="Benar.")
    registration.refresh_from_db()
    assert registration.status == S.COMPLETED
    assert registration.company_name == "CV Maju Jaya"
    assert "verifikasi ulang" in DataRequest.objects.get(pk=dr.pk).letter_text


def test_a_refused_request_changes_no_data(vendor, office, registration, verifier):
    set_status(registration, S.SUBMITTED)
    dr = file(vendor, office, registration, RequestKind.DELETION)
    requests.data_request_decide(data_request=dr, actor=verifier,
                                 decision=RequestDecision.REFUSED,
                                 reason="Identitas pemohon tidak dapat dipastikan.")
    registration.refresh_from_db()
    assert registration.status == S.SUBMITTED
    dr.refresh_from_db()
    assert dr.decision == RequestDecision.REFUSED
    with pytest.raises(ValidationError):
        requests.data_request_decide(data_request=dr, actor=verifier,
                                     decision=RequestDecision.ACCEPTED, reason="lagi")


def test_the_head_is_reminded_once_when_less_than_a_day_is_left(
        vendor, office, registration, coordinator):
    dr = file(vendor, office, registration, RequestKind.DELETION)
    assert requests.data_requests_remind() == 0
    with time_machine.travel(dr.deadline - timedelta(hours=23), tick=False):
        assert requests.data_requests_remind() == 1
        assert requests.data_requests_remind() == 0
    emails = OutboundEmail.objects.filter(template="privacy_request_due")
    assert emails.count() == 1 and emails.get().to == [coordinator.email]
    assert AuditEvent.objects.filter(action="privacy.request_reminded").count() == 1


def test_an_answered_request_is_not_reminded(vendor, office, registration, verifier):
    dr = file(vendor, office, registration, RequestKind.DELETION)
    requests.data_request_decide(data_request=dr, actor=verifier,
                                 decision=RequestDecision.REFUSED, reason="Tidak jelas.")
    assert requests.data_requests_remind(now=dr.deadline) == 0


def test_a_request_about_another_office_goes_to_that_office(vendor, other_office, office):
    reg = make_registration(vendor, other_office)
    dr = requests.data_request_file(user=vendor, office=office, kind=RequestKind.DELETION,
                                    registration=reg)
    assert dr.office == other_office


def test_after_an_accepted_correction_the_vendor_fixes_only_that_field_and_resubmits(
        vendor, office, registration, verifier):
    from verifikasi.registrations.revision import registration_resubmit
    from verifikasi.registrations.services import registration_update_company

    set_status(registration, S.DOCUMENTS_ACCEPTED)
    dr = file(vendor, office, registration, RequestKind.CORRECTION, field="company_name",
              details="Nama yang benar: CV Maju Jaya Abadi")
    requests.data_request_decide(data_request=dr, actor=verifier,
                                 decision=RequestDecision.ACCEPTED, reason="Sesuai akta.")
    registration.refresh_from_db()
    registration_update_company(registration=registration, actor=vendor,
                                data={"company_name": "CV Maju Jaya Abadi", "nib": "1"})
    registration.refresh_from_db()
    assert registration.company_name == "CV Maju Jaya Abadi"
    assert registration.nib != "1"  # only the corrected field unlocked
    registration_resubmit(registration=registration, actor=vendor)
    registration.refresh_from_db()
    assert registration.status == S.SUBMITTED
