"""A registration that closes (withdrawn, rejected) frees its seat and cancels the
calendar invite: scheduling registers ``appointment_release`` as an effect of those
transitions in the lifecycle map."""

import pytest

from tests.scheduling.factories import another_accepted, propose, schedule, wib
from verifikasi.core.models import AuditEvent
from verifikasi.notifications.models import OutboundEmail
from verifikasi.registrations import workflow
from verifikasi.scheduling import closing
from verifikasi.scheduling.models import AppointmentState, SlotBooking
from verifikasi.scheduling.selectors import appointment_for, free_slots

THU_13 = wib(2026, 12, 10, 13, 0)


def withdraw(registration_documents_accepted, actor):
    return workflow.transition(
        registration_documents_accepted,
        "withdraw",
        actor=actor,
        details={"reason": "salah kantor"},
        data={"reason": "salah kantor"},
    )


def test_withdrawing_a_scheduled_registration_cancels_the_call(
    registration_documents_accepted, verifier, office
):
    schedule(registration_documents_accepted, THU_13, verifier)
    assert THU_13 not in [s.start for s in free_slots(office)]
    withdraw(registration_documents_accepted, registration_documents_accepted.vendor)

    registration_documents_accepted.refresh_from_db()
    assert registration_documents_accepted.status == "withdrawn"
    appointment = appointment_for(registration_documents_accepted)
    assert appointment.state == AppointmentState.CANCELLED
    assert not SlotBooking.objects.exists()
    assert THU_13 in [s.start for s in free_slots(office)]  # the seat is free again
    event = AuditEvent.objects.get(action="appointment.cancelled")
    assert event.details["previous_start"] == THU_13.isoformat()
    email = OutboundEmail.objects.get(template="appointment_cancelled")
    assert email.to == [registration_documents_accepted.vendor.email]
    assert email.attachments[0]["mimetype"] == "text/calendar; method=CANCEL"


def test_a_registration_still_negotiating_has_nothing_to_cancel_in_calendars(
    registration_documents_accepted,
):
    propose(registration_documents_accepted, THU_13)
    withdraw(registration_documents_accepted, registration_documents_accepted.vendor)
    assert appointment_for(registration_documents_accepted).state == AppointmentState.CANCELLED
    assert not OutboundEmail.objects.filter(template="appointment_cancelled").exists()


def test_without_an_appointment_it_does_nothing(registration_documents_accepted):
    assert closing.appointment_cancel(registration=registration_documents_accepted) is False
    assert not AuditEvent.objects.filter(action="appointment.cancelled").exists()


def test_a_failed_closing_transition_keeps_the_call(
    registration_documents_accepted, verifier, office
):
    schedule(registration_documents_accepted, THU_13, verifier)
    with pytest.raises(workflow.WorkflowError):  # staff may not withdraw for the vendor
        withdraw(registration_documents_accepted, verifier)
    registration_documents_accepted.refresh_from_db()
    assert registration_documents_accepted.status == "scheduled"
    assert appointment_for(registration_documents_accepted).state == AppointmentState.CONFIRMED
    assert SlotBooking.objects.count() == 1


def test_cancelling_one_call_leaves_the_others(registration_documents_accepted, verifier, office):
    schedule(registration_documents_accepted, THU_13, verifier)
    other = another_accepted(office)
    schedule(other, wib(2026, 12, 10, 13, 30), verifier)
    withdraw(registration_documents_accepted, registration_documents_accepted.vendor)
    assert list(SlotBooking.objects.values_list("appointment__registration", flat=True)) \
        == [other.pk]
