from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verifikasi.core.validators import validate_single_line

from .audience import AUDIENCES
from .models import AffectedData, Incident

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
MAX_EXTRA_EMAILS = 500


class IncidentForm(forms.ModelForm):
    affected_data = forms.MultipleChoiceField(
        label=_("Data pribadi yang terdampak"), choices=AffectedData.choices,
        widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Incident
        fields = ["title", "occurred_at", "discovered_at", "affected_data", "affected_count",
                  "description", "measures"]
        widgets = {"occurred_at": DATETIME, "discovered_at": DATETIME,
                   "description": forms.Textarea(attrs={"rows": 5}),
                   "measures": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.office = office
        for name in ("occurred_at", "discovered_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def clean(self):
        data = super().clean()
        occurred, discovered = data.get("occurred_at"), data.get("discovered_at")
        now = timezone.now()
        if discovered and discovered > now:
            self.add_error("discovered_at", _("Waktu diketahui tidak boleh di masa depan."))
        if occurred and discovered and occurred > discovered:
            self.add_error("occurred_at", _("Waktu kejadian tidak boleh sesudah waktu "
                                            "diketahui."))
        return data

    def facts(self) -> dict:
        return dict(self.cleaned_data)


def _emails(text: str) -> list[str]:
    found = []
    for raw in text.replace(",", "\n").replace(";", "\n").splitlines():
        email = raw.strip().lower()
        if not email:
            continue
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError(_("Bukan alamat email yang sah: %(email)s"),
                                  params={"email": email[:100]}) from None
        if email not in found:
            found.append(email)
    if len(found) > MAX_EXTRA_EMAILS:
        raise ValidationError(_("Paling banyak %(n)d alamat tambahan."),
                              params={"n": MAX_EXTRA_EMAILS})
    return found


class PeopleNoticeForm(forms.Form):
    subject = forms.CharField(label=_("Subjek"), max_length=200,
                              validators=[validate_single_line])
    body = forms.CharField(label=_("Isi pemberitahuan"), max_length=10000,
                           widget=forms.Textarea(attrs={"rows": 18}))
    audiences = forms.MultipleChoiceField(
        label=_("Kirim kepada"), required=False, widget=forms.CheckboxSelectMultiple)
    extra = forms.CharField(
        label=_("Alamat email tambahan"), required=False, max_length=50000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Satu alamat per baris, untuk orang terdampak di luar kelompok di atas."))
    confirm = forms.BooleanField(
        label=_("Saya sudah memeriksa isi dan penerima pemberitahuan ini."), required=False)

    def __init__(self, *args, audience_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audiences"].choices = audience_choices

    def clean_extra(self):
        return _emails(self.cleaned_data.get("extra", ""))

    def clean_audiences(self):
        chosen = self.cleaned_data.get("audiences") or []
        return [key for key in chosen if key in AUDIENCES]

    def require_sending(self) -> bool:
        """For "Kirim": a recipient and the confirmation are needed too (a draft needs neither)."""
        if not self.cleaned_data["audiences"] and not self.cleaned_data["extra"]:
            self.add_error("audiences", _("Pilih sekurang-kurangnya satu kelompok penerima atau "
                                          "tulis alamat email tambahan."))
        if not self.cleaned_data.get("confirm"):
            self.add_error("confirm", _("Centang untuk menyatakan isi dan penerima sudah "
                                        "diperiksa."))
        return not self.errors


class AuthorityNoticeForm(forms.Form):
    authority_name = forms.CharField(label=_("Ditujukan kepada"), max_length=200,
                                     validators=[validate_single_line])
    body = forms.CharField(label=_("Isi surat"), max_length=10000,
                           widget=forms.Textarea(attrs={"rows": 22}))


class AuthoritySentForm(forms.Form):
    sent_on = forms.DateField(label=_("Tanggal dikirim"),
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    reference = forms.CharField(
        label=_("Nomor surat atau bukti kirim"), max_length=200,
        validators=[validate_single_line],
        help_text=_("Misalnya nomor surat, nomor resi, atau alamat email tujuan."))

    def __init__(self, *args, incident, **kwargs):
        super().__init__(*args, **kwargs)
        self.incident = incident

    def clean_sent_on(self):
        sent_on = self.cleaned_data["sent_on"]
        tz = self.incident.office.tzinfo
        if sent_on > timezone.localdate(timezone.now(), tz):
            raise ValidationError(_("Tanggal dikirim tidak boleh di masa depan."))
        if sent_on < timezone.localtime(self.incident.discovered_at, tz).date():
            raise ValidationError(_("Tanggal dikirim tidak boleh sebelum insiden diketahui."))
        return sent_on
