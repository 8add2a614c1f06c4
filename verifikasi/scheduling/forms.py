import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from .models import WEEKDAYS, Availability, Closure, validate_hours
from .selectors import MAX_OPTIONS
from .slots import parse_slot_key


class SlotPickForm(forms.Form):
    """Pick ``minimum``…3 of the given free slots (checkboxes, grouped by day in the template)."""

    slots = forms.MultipleChoiceField(
        label=_("Jadwal"), required=False,
        error_messages={"invalid_choice": _("Salah satu jadwal yang dipilih sudah tidak "
                                            "tersedia. Pilih lagi.")})

    def __init__(self, *args, slots, tz, minimum=1, **kwargs):
        super().__init__(*args, **kwargs)
        self.tz = tz
        self.minimum = minimum
        self.fields["slots"].choices = [(s.key, s.key) for s in slots]

    def clean_slots(self):
        keys = self.cleaned_data["slots"]
        if not self.minimum <= len(keys) <= MAX_OPTIONS:
            if self.minimum:
                raise ValidationError(_("Pilih %(min)d sampai %(max)d jadwal.")
                                      % {"min": self.minimum, "max": MAX_OPTIONS})
            raise ValidationError(_("Pilih paling banyak %(max)d jadwal.")
                                  % {"max": MAX_OPTIONS})
        return [parse_slot_key(k, self.tz) for k in keys]

    @property
    def selected(self) -> set[str]:
        if self.is_bound:
            return set(self.data.getlist(self.add_prefix("slots")))
        return set(self.initial.get("slots", []))


class RescheduleForm(SlotPickForm):
    reason = forms.CharField(label=_("Alasan"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("minimum", 0)
        super().__init__(*args, **kwargs)


class OptionChoiceForm(forms.Form):
    """Choose one of the times on the table (a proposal to confirm, an offer to accept)."""

    start = forms.ChoiceField(label=_("Waktu"), widget=forms.RadioSelect,
                              error_messages={"required": _("Pilih salah satu waktu."),
                                              "invalid_choice": _("Waktu tersebut tidak "
                                                                  "tersedia lagi.")})

    def __init__(self, *args, options, tz, **kwargs):
        super().__init__(*args, **kwargs)
        self.tz = tz
        self.fields["start"].choices = [(o.start.astimezone(tz).isoformat(timespec="minutes"),
                                         "") for o in options]

    def clean_start(self):
        return parse_slot_key(self.cleaned_data["start"], self.tz)


class NoShowForm(forms.Form):
    note = forms.CharField(label=_("Catatan (tidak wajib)"), max_length=500, required=False)


_DASH = re.compile(r"\s*[-–—]\s*")
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")


def _parse_time(text: str) -> str:
    match = _TIME.match(text.strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise ValidationError(_("“%(value)s” bukan jam yang valid (contoh: 08:00)."),
                              params={"value": text.strip()})
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def parse_day_hours(text: str) -> list[list[str]]:
    """"08:00-12:00, 13:00-15:30" → [["08:00", "12:00"], ["13:00", "15:30"]]; "" → []."""
    periods = []
    for part in filter(None, (p.strip() for p in text.replace(";", ",").split(","))):
        pieces = _DASH.split(part)
        if len(pieces) != 2:
            raise ValidationError(_("Tulis rentang jam seperti 08:00-12:00."))
        periods.append([_parse_time(pieces[0]), _parse_time(pieces[1])])
    return periods


def format_day_hours(periods: list[list[str]]) -> str:
    return ", ".join(f"{a}-{b}" for a, b in periods)


class AvailabilityForm(forms.ModelForm):
    """The coordinator's settings: hours per weekday as text, plus the numbers."""

    class Meta:
        model = Availability
        fields = ["slot_minutes", "capacity", "min_notice_working_days", "horizon_days",
                  "vendor_reschedule_cutoff_hours", "vendor_reschedule_limit",
                  "observe_cuti_bersama"]

    # Mirrors the model's check constraints, as readable form errors.
    LIMITS = {
        "slot_minutes": (10, 240), "capacity": (1, 50), "min_notice_working_days": (0, 30),
        "horizon_days": (1, 365), "vendor_reschedule_cutoff_hours": (0, 336),
        "vendor_reschedule_limit": (0, 20),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for index, day in enumerate(WEEKDAYS):
            self.fields[f"hours_{index}"] = forms.CharField(
                label=day, required=False, max_length=200,
                initial=format_day_hours(self.instance.hours[index]),
                help_text=_("Contoh: 08:00-12:00, 13:00-15:30. Kosongkan bila libur."))
        for name, (low, high) in self.LIMITS.items():
            field = self.fields[name]
            field.validators += [MinValueValidator(low), MaxValueValidator(high)]
            field.widget.attrs.update(min=low, max=high)

    @property
    def hour_fields(self):
        return [self[f"hours_{i}"] for i in range(7)]

    @property
    def number_fields(self):
        return [self[name] for name in self.Meta.fields]

    def clean(self):
        cleaned = super().clean()
        hours = []
        for index in range(7):
            try:
                hours.append(parse_day_hours(cleaned.get(f"hours_{index}") or ""))
            except ValidationError as e:
                self.add_error(f"hours_{index}", e)
                return cleaned
        try:
            validate_hours(hours)
        except ValidationError as e:
            self.add_error(None, e)
        cleaned["hours"] = hours
        return cleaned

    def availability_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["hours"] = self.cleaned_data["hours"]
        return data


class ClosureForm(forms.ModelForm):
    class Meta:
        model = Closure
        fields = ["start_date", "end_date", "note"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["end_date"].required = False
        self.fields["end_date"].help_text = _("Kosongkan bila hanya satu hari.")
        self.fields["note"].widget.attrs["placeholder"] = _("mis. Rapat kerja tahunan")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Tanggal akhir tidak boleh sebelum tanggal mulai."))
        return cleaned
