import pytest
from django.urls import reverse

from tests.conftest import run_worker
from tests.registrations.factories import (
    add_all_documents,
    give_consent,
    make_registration,
    propose_first_free_slot,
    ready_to_submit,
)
from verifikasi.core.models import AuditEvent
from verifikasi.notifications.models import OutboundEmail


def submit(client, registration, **data):
    return client.post(reverse("registration_submit", args=[registration.code]), data)


def test_it_submits_a_complete_registration(vendor_client, vendor, office, verifier,
                                            coordinator):
    registration = ready_to_submit(vendor, office)
    response = submit(vendor_client, registration, consent="1")
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == "submitted" and registration.submitted_at
    event = AuditEvent.objects.get(action="registration.submit")
    assert event.details == {"from": "draft", "to": "submitted"}
    receipt = OutboundEmail.objects.get(template="registration_submitted")
    assert receipt.to == [vendor.email]
    for doc in registration.documents.all():
        assert doc.sha256[:12] in receipt.body_text
        assert doc.document_type.name in receipt.body_text
    staff = OutboundEmail.objects.get(template="registration_submitted_staff")
    assert set(staff.to) == {verifier.email, coordinator.email}


def test_the_receipt_goes_out_through_smtp(vendor_client, vendor, office, smtp_server):
    registration = ready_to_submit(vendor, office)
    submit(vendor_client, registration, consent="1")
    run_worker()
    [message] = [m for m in smtp_server.messages if m["To"] == vendor.email]
    assert "Tanda terima" in message["Subject"]
    assert message["Reply-To"] == office.reply_to_email


def test_consent_in_the_same_post_is_recorded_with_version_time_and_ip(vendor_client, vendor,
                                                                       office):
    registration = make_registration(vendor, office)
    add_all_documents(registration)
    propose_first_free_slot(registration)
    submit(vendor_client, registration, consent="1")
    registration.refresh_from_db()
    assert registration.status == "submitted"
    assert registration.consent_version and registration.consent_at
    assert registration.consent_ip == "127.0.0.1"
    assert AuditEvent.objects.filter(action="registration.consent_given").exists()


@pytest.mark.parametrize("missing, expected", [
    ("company", "Data perusahaan belum lengkap: nama perusahaan"),
    ("ktp", "Dokumen belum diunggah: KTP"),
    ("consent", "Persetujuan pemberitahuan privasi belum diberikan"),
    ("proposal", "Belum memilih usulan jadwal verifikasi"),
])
def test_it_names_exactly_what_is_missing(vendor_client, vendor, office, missing, expected):
    registration = make_registration(vendor, office,
                                     company_name="" if missing == "company" else "CV Maju Jaya")
    for doc in add_all_documents(registration):
        if missing == "ktp" and doc.document_type.code == "ktp":
            doc.delete()
    if missing != "consent":
        give_consent(registration)
    if missing != "proposal":
        propose_first_free_slot(registration)
    response = submit(vendor_client, registration)
    assert response.status_code == 400
    problems = response.context["problems"]
    assert len(problems) == 1
    assert problems[0].startswith(expected)
    registration.refresh_from_db()
    assert registration.status == "draft"
    assert not OutboundEmail.objects.exists()
    assert not AuditEvent.objects.filter(action="registration.submit").exists()


def test_conditional_documents_are_required_when_they_apply(vendor_client, vendor, office):
    registration = ready_to_submit(vendor, office)
    registration.represented = True
    registration.has_akta_pendirian = True
    registration.representative_name = "Andi"
    registration.representative_nik = "6104014505950002"
    registration.save()
    response = submit(vendor_client, registration)
    problems = " ".join(response.context["problems"])
    for name in ["Akta Pendirian Perusahaan", "Surat Kuasa", "KTP Penerima Kuasa"]:
        assert name in problems
    assert "Akta Perubahan" not in problems


def test_submitting_twice_is_refused_as_wrong_state(vendor_client, vendor, office):
    registration = ready_to_submit(vendor, office, status="submitted")
    response = submit(vendor_client, registration)
    assert response.status_code == 403
    assert "Diajukan" in response.content.decode()


def test_submit_page_is_403_for_staff(verifier_client, vendor, office):
    registration = ready_to_submit(vendor, office)
    assert submit(verifier_client, registration).status_code == 403


def test_vendor_withdraws_an_open_registration(vendor_client, vendor, office):
    registration = ready_to_submit(vendor, office, status="submitted")
    response = vendor_client.post(reverse("registration_withdraw", args=[registration.code]),
                                  {"reason": "salah kantor"})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == "withdrawn"
    event = AuditEvent.objects.get(action="registration.withdraw")
    assert event.details["reason"] == "salah kantor"


def test_a_withdrawal_reason_has_a_maximum_length(vendor_client, vendor, office):
    # Issue 13: every free-text input is bounded; the reason goes into an email.
    registration = ready_to_submit(vendor, office, status="submitted")
    response = vendor_client.post(reverse("registration_withdraw", args=[registration.code]),
                                  {"reason": "x" * 501}, follow=True)

    assert response.status_code == 200
    assert "paling banyak 500 karakter" in response.text
    registration.refresh_from_db()
    assert registration.status == "submitted"
