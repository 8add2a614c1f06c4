"""Capacity is a database rule: a slot holds at most ``capacity`` calls, even when
confirmations race (unique seat per slot, seat number below capacity)."""

import threading
import time

import pytest
from django.db import IntegrityError, connections, transaction

from tests.scheduling.factories import another_accepted, propose, wib
from verifikasi.core.models import AuditEvent
from verifikasi.registrations import workflow
from verifikasi.scheduling import seats as seating
from verifikasi.scheduling import services
from verifikasi.scheduling.models import Appointment, Availability, SlotBooking

TUE_8 = wib(2026, 12, 8, 8, 0)
END = wib(2026, 12, 8, 8, 30)


def appointment(office, n):
    registration_documents_accepted = another_accepted(office, n)
    propose(registration_documents_accepted, TUE_8)
    return Appointment.objects.get(registration=registration_documents_accepted)


def booking(office, appt, seat, capacity=1):
    return SlotBooking.objects.create(office=office, start=TUE_8, end=END, seat_no=seat,
                                      capacity=capacity, appointment=appt)


def test_the_database_refuses_two_calls_on_one_seat(clock, office):
    first, second = appointment(office, 1), appointment(office, 2)
    booking(office, first, 0, capacity=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        booking(office, second, 0, capacity=2)
    booking(office, second, 1, capacity=2)  # the next seat is fine


def test_the_database_refuses_a_seat_beyond_capacity(clock, office):
    with pytest.raises(IntegrityError), transaction.atomic():
        booking(office, appointment(office, 1), 1, capacity=1)


def test_the_third_confirmation_into_a_two_seat_slot_is_refused(clock, office, verifier):
    Availability.objects.create(office=office, capacity=2)
    regs = [another_accepted(office, n) for n in range(3)]
    for reg in regs:
        propose(reg, TUE_8)
    for reg in regs[:2]:
        services.appointment_confirm(registration=reg, actor=verifier, start=TUE_8)
    with pytest.raises(workflow.WorkflowError) as refused:
        services.appointment_confirm(registration=regs[2], actor=verifier, start=TUE_8)
    assert refused.value.problems == ["Slot tersebut sudah penuh."]
    regs[2].refresh_from_db()
    assert regs[2].status == "documents_accepted"
    assert sorted(SlotBooking.objects.values_list("seat_no", flat=True)) == [0, 1]


def _race(n, work):
    """Run ``work(i)`` in n threads (own connections) released at once; results by i."""
    barrier = threading.Barrier(n)
    results = {}

    def run(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as e:  # noqa: BLE001 - the outcome is the result
            results[i] = e
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_confirmations_never_overfill_a_slot(clock, office, verifier):
    Availability.objects.create(office=office, capacity=2)
    regs = [another_accepted(office, n) for n in range(6)]
    for reg in regs:
        propose(reg, TUE_8)

    results = _race(len(regs), lambda i: services.appointment_confirm(
        registration=regs[i], actor=verifier, start=TUE_8).status)

    won = [r for r in results.values() if r == "scheduled"]
    refused = [r for r in results.values() if isinstance(r, workflow.WorkflowError)]
    assert len(won) == 2 and len(refused) == 4, results
    assert sorted(SlotBooking.objects.values_list("seat_no", flat=True)) == [0, 1]
    assert AuditEvent.objects.filter(action="registration.confirm_schedule").count() == 2


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_seat_claims_take_the_lowest_free_seats_only(clock, office):
    appts = [appointment(office, n) for n in range(5)]

    def claim(i):
        with transaction.atomic():
            return seating.seat_book(appts[i], TUE_8, END, 3).seat_no

    results = _race(len(appts), claim)
    seats = sorted(r for r in results.values() if isinstance(r, int))
    full = [r for r in results.values() if isinstance(r, seating.SlotUnavailable)]
    assert seats == [0, 1, 2] and len(full) == 2, results
    assert SlotBooking.objects.count() == 3


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_claim_that_loses_the_race_on_the_unique_seat_moves_to_the_next(clock, office):
    """Deterministic interleaving: B reads the seats while A's seat 0 is uncommitted,
    so B's INSERT of seat 0 waits for A, fails on the constraint, and B takes seat 1."""
    first, second = appointment(office, 1), appointment(office, 2)
    inserted, commit = threading.Event(), threading.Event()
    results = {}

    def a():
        try:
            with transaction.atomic():
                results["a"] = seating.seat_book(first, TUE_8, END, 2).seat_no
                inserted.set()
                commit.wait(timeout=30)
        finally:
            connections.close_all()

    def b():
        try:
            inserted.wait(timeout=30)
            with transaction.atomic():
                results["b"] = seating.seat_book(second, TUE_8, END, 2).seat_no
        except Exception as e:  # noqa: BLE001
            results["b"] = e
        finally:
            connections.close_all()

    threads = [threading.Thread(target=a), threading.Thread(target=b)]
    for t in threads:
        t.start()
    time.sleep(0.5)  # let B block on A's uncommitted seat
    commit.set()
    for t in threads:
        t.join(timeout=60)
    assert results == {"a": 0, "b": 1}
