"""Seats of a time slot: how many calls at once the team takes (capacity), enforced by
``SlotBooking``'s unique constraints, so two confirmations can never overfill a slot."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy

from verifikasi.registrations import workflow

from .models import Appointment, SlotBooking

ERR_SLOT_FULL = gettext_lazy(
    "Slot tersebut baru saja terisi penuh oleh pendaftaran lain. Pilih waktu lain.")


class SlotUnavailable(workflow.WorkflowError):
    """Every seat of the slot was taken by a concurrent confirmation (the database said so)."""


def seat_book(appointment: Appointment, start: datetime, end: datetime,
               capacity: int) -> SlotBooking:
    """Take the lowest free seat of the slot, or raise SlotUnavailable.

    Each attempt is its own savepoint: a concurrent confirmation that took the
    seat first makes the INSERT fail on the unique constraint (on PostgreSQL it
    waits for that transaction to commit), and the next seat is tried.
    """
    overlapping = SlotBooking.objects.filter(office=appointment.office, start__lt=end,
                                             end__gt=start)
    used = set(overlapping.values_list("seat_no", flat=True))
    for seat in range(capacity):
        if seat in used:
            continue
        try:
            with transaction.atomic():
                return SlotBooking.objects.create(
                    office=appointment.office, start=start, end=end, seat_no=seat,
                    capacity=capacity, appointment=appointment)
        except IntegrityError:
            continue
    raise SlotUnavailable(ERR_SLOT_FULL)


def seat_release(appointment: Appointment) -> None:
    SlotBooking.objects.filter(appointment=appointment).delete()
