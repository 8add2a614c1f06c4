"""Scheduling the verification video call (spec B.8, C.8.b).

``Availability`` is the office's calendar (working hours, slot length, how many
calls run at once, notice and horizon); ``Closure`` closes dates on top of the
national holidays. A registration's ``Appointment`` carries the negotiation —
the vendor's proposals or the team's substitute offers as ``AppointmentOption``
rows — and, once confirmed, one ``SlotBooking``: the seat that makes capacity a
database rule (unique seat per slot, seat number below capacity).
"""

import re
import uuid
from datetime import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from verifikasi.core.validators import validate_single_line

WEEKDAYS = [_("Senin"), _("Selasa"), _("Rabu"), _("Kamis"), _("Jumat"), _("Sabtu"), _("Minggu")]

# Indonesian government office hours; Friday breaks longer for Friday prayers.
_WEEKDAY_HOURS = [["08:00", "12:00"], ["13:00", "15:30"]]
_FRIDAY_HOURS = [["08:00", "11:00"], ["13:30", "15:30"]]

_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def default_hours() -> list:
    """Monday (index 0) to Sunday (6): a list of [start, end] periods per day."""
    return [_WEEKDAY_HOURS] * 4 + [_FRIDAY_HOURS] + [[], []]


def parse_hhmm(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def validate_hours(value) -> None:
    """Seven days, each a list of sorted, non-overlapping ["HH:MM", "HH:MM"] periods."""
    if not isinstance(value, list) or len(value) != 7:
        raise ValidationError(_("Jam kerja harus berisi tujuh hari (Senin–Minggu)."))
    for day, periods in zip(WEEKDAYS, value, strict=True):
        if not isinstance(periods, list):
            raise ValidationError(_("Jam kerja %(day)s tidak valid."), params={"day": day})
        previous_end = None
        for period in periods:
            if (not isinstance(period, list) or len(period) != 2
                    or not all(isinstance(p, str) and _HHMM.match(p) for p in period)):
                raise ValidationError(_("Jam kerja %(day)s tidak valid."), params={"day": day})
            start, end = (parse_hhmm(p) for p in period)
            if start >= end:
                raise ValidationError(_("Pada %(day)s, jam mulai harus sebelum jam selesai."),
                                      params={"day": day})
            if previous_end is not None and start < previous_end:
                raise ValidationError(_("Pada %(day)s, rentang jam saling tumpang tindih atau "
                                        "tidak berurutan."), params={"day": day})
            previous_end = end


class Availability(models.Model):
    """An office's calendar for verification calls, set by the coordinator (B.8.c).

    An office without a row uses the defaults below (an unsaved instance).
    """

    office = models.OneToOneField("offices.Office", on_delete=models.PROTECT,
                                  related_name="availability")
    hours = models.JSONField(_("jam kerja"), default=default_hours, validators=[validate_hours])
    slot_minutes = models.PositiveSmallIntegerField(_("lama satu sesi (menit)"), default=30)
    capacity = models.PositiveSmallIntegerField(
        _("video call bersamaan"), default=1,
        help_text=_("Jumlah verifikator yang bertugas: berapa video call dapat berjalan pada "
                    "waktu yang sama."))
    min_notice_working_days = models.PositiveSmallIntegerField(
        _("pemberitahuan minimum (hari kerja)"), default=1,
        help_text=_("Jadwal paling cepat sekian hari kerja setelah hari ini."))
    horizon_days = models.PositiveSmallIntegerField(
        _("jangkauan pemesanan (hari)"), default=30,
        help_text=_("Jadwal paling lambat sekian hari setelah hari ini."))
    vendor_reschedule_cutoff_hours = models.PositiveSmallIntegerField(
        _("batas ubah jadwal oleh Pelaku Usaha (jam sebelum)"), default=24)
    vendor_reschedule_limit = models.PositiveSmallIntegerField(
        _("batas jumlah ubah jadwal oleh Pelaku Usaha"), default=2)
    observe_cuti_bersama = models.BooleanField(
        _("libur juga pada cuti bersama"), default=True,
        help_text=_("Selain hari libur nasional, tutup pada hari cuti bersama ASN."))
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("ketersediaan jadwal")
        verbose_name_plural = _("ketersediaan jadwal")
        constraints = [
            models.CheckConstraint(condition=Q(slot_minutes__gte=10, slot_minutes__lte=240),
                                   name="availability_slot_minutes_range"),
            models.CheckConstraint(condition=Q(capacity__gte=1, capacity__lte=50),
                                   name="availability_capacity_range"),
            models.CheckConstraint(condition=Q(min_notice_working_days__lte=30),
                                   name="availability_notice_range"),
            models.CheckConstraint(condition=Q(horizon_days__gte=1, horizon_days__lte=365),
                                   name="availability_horizon_range"),
            models.CheckConstraint(condition=Q(vendor_reschedule_cutoff_hours__lte=336),
                                   name="availability_cutoff_range"),
        ]

    def __str__(self):
        return str(_("Ketersediaan %(office)s") % {"office": self.office})

    def periods(self, weekday: int) -> list[tuple[time, time]]:
        return [(parse_hhmm(a), parse_hhmm(b)) for a, b in self.hours[weekday]]


class Closure(models.Model):
    """Dates the office takes no calls (office closure, training…), with a note."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT,
                               related_name="closures")
    start_date = models.DateField(_("dari tanggal"))
    end_date = models.DateField(_("sampai tanggal"))
    note = models.CharField(_("keterangan"), max_length=200, validators=[validate_single_line])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("penutupan kantor")
        verbose_name_plural = _("penutupan kantor")
        ordering = ["office", "start_date"]
        indexes = [models.Index(fields=["office", "end_date"])]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")),
                                   name="closure_dates_ordered"),
        ]

    def __str__(self):
        return f"{self.start_date}–{self.end_date}: {self.note}"


class AppointmentState(models.TextChoices):
    PROPOSED = "proposed", _("Menunggu keputusan tim verifikator")
    OFFERED = "offered", _("Menunggu jawaban Pelaku Usaha atas jadwal pengganti")
    CONFIRMED = "confirmed", _("Terjadwal")
    NEEDS_PROPOSAL = "needs_proposal", _("Menunggu usulan jadwal baru")
    HELD = "held", _("Video call sudah dilaksanakan")
    CANCELLED = "cancelled", _("Dibatalkan")


class Appointment(models.Model):
    """A registration's verification call: the negotiation and the confirmed time.

    One per registration for its whole life, so its calendar invite keeps one
    UID; ``sequence`` is the SEQUENCE of the latest invite sent (raised on
    every change). ``reminder_*_sent_at`` are claimed by a conditional update,
    so each reminder goes out once per confirmed time.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    registration = models.OneToOneField("registrations.Registration", on_delete=models.PROTECT,
                                        related_name="appointment")
    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT,
                               related_name="appointments")
    state = models.CharField(_("status jadwal"), max_length=20, choices=AppointmentState.choices,
                             default=AppointmentState.PROPOSED)
    start = models.DateTimeField(_("mulai"), null=True, blank=True)
    end = models.DateTimeField(_("selesai"), null=True, blank=True)
    sequence = models.PositiveIntegerField(default=0)
    invited_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    vendor_reschedules = models.PositiveSmallIntegerField(default=0)
    staff_reschedules = models.PositiveSmallIntegerField(default=0)
    no_shows = models.PositiveSmallIntegerField(default=0)
    last_reason = models.TextField(_("alasan terakhir"), max_length=500, blank=True)
    reminder_24h_sent_at = models.DateTimeField(null=True, blank=True)
    reminder_1h_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("jadwal verifikasi")
        verbose_name_plural = _("jadwal verifikasi")
        indexes = [
            models.Index(fields=["office", "state", "start"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=AppointmentState.values),
                                   name="appointment_state_valid"),
            models.CheckConstraint(
                condition=~Q(state=AppointmentState.CONFIRMED)
                | Q(start__isnull=False, end__isnull=False),
                name="appointment_confirmed_has_time"),
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__gt=F("start")),
                name="appointment_end_after_start"),
        ]

    def __str__(self):
        return f"{self.registration} — {self.get_state_display()}"


class OptionKind(models.TextChoices):
    PROPOSED = "proposed", _("Usulan Pelaku Usaha")
    OFFERED = "offered", _("Jadwal pengganti dari tim verifikator")


class AppointmentOption(models.Model):
    """One of the one to three times on the table in the current round (B.8.a–b)."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE,
                                    related_name="options")
    kind = models.CharField(max_length=10, choices=OptionKind.choices)
    start = models.DateTimeField()
    end = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["appointment", "kind", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=OptionKind.values),
                                   name="appointmentoption_kind_valid"),
            models.CheckConstraint(condition=Q(end__gt=F("start")),
                                   name="appointmentoption_end_after_start"),
            models.UniqueConstraint(fields=["appointment", "kind", "start"],
                                    name="appointmentoption_unique_start"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.start:%Y-%m-%d %H:%M}"


class SlotBooking(models.Model):
    """One seat taken in one slot: capacity as a database rule, not a check in code.

    A slot has ``capacity`` seats (0 … capacity-1); a confirmation takes the
    lowest free one. Two confirmations can never share a seat (unique) and no
    seat lies beyond the capacity in force when it was taken (check), so
    concurrent confirmations cannot overfill a slot on any database.
    """

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    start = models.DateTimeField()
    end = models.DateTimeField()
    seat_no = models.PositiveSmallIntegerField()
    capacity = models.PositiveSmallIntegerField()
    appointment = models.OneToOneField(Appointment, on_delete=models.PROTECT,
                                       related_name="booking")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kursi jadwal")
        verbose_name_plural = _("kursi jadwal")
        indexes = [models.Index(fields=["office", "start"])]
        constraints = [
            models.UniqueConstraint(fields=["office", "start", "seat_no"],
                                    name="slotbooking_one_call_per_seat"),
            models.CheckConstraint(condition=Q(seat_no__lt=F("capacity")),
                                   name="slotbooking_seat_within_capacity"),
            models.CheckConstraint(condition=Q(capacity__gte=1),
                                   name="slotbooking_capacity_positive"),
            models.CheckConstraint(condition=Q(end__gt=F("start")),
                                   name="slotbooking_end_after_start"),
        ]

    def __str__(self):
        return f"{self.start:%Y-%m-%d %H:%M} #{self.seat_no}"
