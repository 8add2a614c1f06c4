"""certificate_issue (C.6.b) and the services around it that the workflow calls."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from tests.registrations.factories import COMPANY, add_all_documents, make_registration
from verifikasi.certificates.models import Certificate
from verifikasi.certificates.selectors import (
    certificate_current,
    certificate_settings_get,
    certificates_awaiting_receipt,
)
from verifikasi.certificates.services import (
    ERR_NOT_VERIFIED,
    CertificateStateError,
    certificate_confirm_receipt,
    certificate_email_attachment,
)
from verifikasi.core.models import AuditEvent

from .conftest import CALL_DATE, issue


def test_it_copies_the_facts_from_the_registration(certificate, verifier):
    assert certificate.company_name == COMPANY["company_name"]
    assert certificate.npwp_display == f"{COMPANY['npwp']} ({COMPANY['npwp_display']})"
    assert certificate.nib == COMPANY["nib"]
    assert certificate.person_verified == COMPANY["director_name"]
    assert certificate.call_date == CALL_DATE
    assert certificate.verifier_name == verifier.full_name
    assert certificate.documents == ["KTP", "NPWP", "NIB"]
    assert certificate.issued_by == verifier


def test_it_stores_the_pdf_privately_and_audits_the_issue(certificate):
    assert default_storage.exists(certificate.file.name)
    with pytest.raises(ValueError):
        default_storage.url(certificate.file.name)
    event = AuditEvent.objects.get(action="certificate.issued")
    assert event.object_id == certificate.code
    assert event.details["number"] == certificate.number
    assert event.details["sha256"] == certificate.sha256


def test_it_refuses_a_call_date_after_the_issue_date(registration_verified):
    """The certificate attests a call that took place: never one still ahead."""
    day_before = datetime.datetime(2026, 11, 19, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(day_before), pytest.raises(ValidationError) as refused:
        issue(registration_verified)
    assert refused.value.code == "call_after_issue"
    assert not Certificate.objects.exists()


def test_the_system_may_issue_it(registration_verified):
    certificate = issue(registration_verified)

    assert certificate.issued_by is None
    assert AuditEvent.objects.get(action="certificate.issued").actor is None


@pytest.mark.parametrize("status", ["submitted", "scheduled", "rejected", "withdrawn"])
def test_it_refuses_a_registration_that_has_not_passed(vendor, office, verifier, status):
    registration_verified = make_registration(vendor, office, status=status, assigned_to=verifier)

    with pytest.raises(CertificateStateError) as e:
        issue(registration_verified)

    assert str(e.value) == str(ERR_NOT_VERIFIED)
    assert not Certificate.objects.exists()


@pytest.mark.parametrize("status", ["certificate_sent", "completed"])
def test_it_may_be_called_after_the_workflow_moved_on(vendor, office, verifier, status):
    registration_verified = make_registration(vendor, office, status=status, assigned_to=verifier)

    assert issue(registration_verified, documents=["KTP"]).seq == 1


def test_it_refuses_incomplete_company_data_before_taking_a_number(vendor, office, verifier):
    registration_verified = make_registration(
        vendor, office, status="verified", assigned_to=verifier, nib=""
    )

    with pytest.raises(ValidationError, match="NIB"):
        issue(registration_verified)

    from verifikasi.certificates.models import CertificateSequence

    assert not CertificateSequence.objects.filter(last_value__gt=0).exists()


@pytest.mark.parametrize("field, value", [
    ("company_name", "CV Maju\r\nJaya"), ("director_name", "Budi \u202eotnaS"),
])
def test_it_refuses_odd_text_saved_before_the_form_checked_it(vendor, office, verifier, field,
                                                              value):
    # Issue 13: nothing odd reaches the certificate PDF, whatever is in the database.
    registration_verified = make_registration(
        vendor, office, status="verified", assigned_to=verifier, **{field: value}
    )
    add_all_documents(registration_verified)

    with pytest.raises(ValidationError, match="karakter tersembunyi"):
        issue(registration_verified)

    from verifikasi.certificates.models import CertificateSequence

    assert not Certificate.objects.exists()
    assert not CertificateSequence.objects.filter(last_value__gt=0).exists()


def test_it_refuses_a_staff_name_with_a_line_break(vendor, office, verifier):
    verifier.full_name = "Verifikator\nSatu"
    verifier.save()
    registration_verified = make_registration(
        vendor, office, status="verified", assigned_to=verifier
    )
    add_all_documents(registration_verified)

    with pytest.raises(ValidationError, match="verifikator"):
        issue(registration_verified)


def test_it_needs_a_verifier_name(vendor, office):
    registration_verified = make_registration(vendor, office, status="verified")
    add_all_documents(registration_verified)

    with pytest.raises(ValidationError):
        issue(registration_verified)
    assert issue(registration_verified, verifier_name="Rina Verifikator").verifier_name == \
        "Rina Verifikator"


def test_it_needs_at_least_one_verified_document(vendor, office, verifier):
    registration_verified = make_registration(
        vendor, office, status="verified", assigned_to=verifier
    )

    with pytest.raises(ValidationError, match="dokumen"):
        issue(registration_verified)


def test_the_email_attachment_points_at_the_stored_pdf(certificate):
    attachment = certificate_email_attachment(certificate)

    assert attachment["path"] == certificate.file.name
    assert attachment["mimetype"] == "application/pdf"
    assert attachment["name"].endswith(".pdf") and "/" not in attachment["name"]


def test_the_current_certificate_is_the_one_not_revoked(registration_verified, certificate):
    assert certificate_current(registration_verified) == certificate


def test_the_office_settings_are_created_with_defaults(other_office):
    cfg = certificate_settings_get(other_office)

    assert cfg.number_pattern == "{seq:04d}/LPSE-KTP/VD/{year}"
    assert cfg.require_countersign is False
    assert cfg.receipt_reminder_days == 3


def test_the_ketapang_office_is_seeded(office):
    cfg = certificate_settings_get(office)

    assert cfg.signer_title == "Ketua Tim Verifikator LPSE Kab. Ketapang"
    assert cfg.place == "Ketapang"


# --- C.7: confirmation of receipt ------------------------------------------------------

def test_the_vendor_confirms_receipt_once(certificate, vendor):
    assert certificate_confirm_receipt(certificate=certificate, actor=vendor) is True
    assert certificate_confirm_receipt(certificate=certificate, actor=vendor) is False

    certificate.refresh_from_db()
    assert certificate.receipt_confirmed_at is not None
    assert AuditEvent.objects.filter(action="certificate.receipt_confirmed").count() == 1


def test_another_vendor_cannot_confirm_receipt(certificate, other_vendor):
    with pytest.raises(CertificateStateError):
        certificate_confirm_receipt(certificate=certificate, actor=other_vendor)


def test_unconfirmed_certificates_await_receipt_after_the_reminder_days(
        registration_verified, office, vendor):
    with time_machine.travel(datetime.datetime(2026, 11, 22, 9, 0, tzinfo=datetime.UTC)):
        certificate = issue(registration_verified)

    for day, expected in [(24, []), (26, [certificate])]:
        now = datetime.datetime(2026, 11, day, 9, 0, tzinfo=datetime.UTC)
        assert list(certificates_awaiting_receipt(office=office, now=now)) == expected

    certificate_confirm_receipt(certificate=certificate, actor=vendor)
    later = datetime.datetime(2026, 11, 29, tzinfo=datetime.UTC)
    assert list(certificates_awaiting_receipt(office=office, now=later)) == []
