from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import identifiers
from .models import Decision, DeficiencyReason, Registration, RegistrationStatus
from .staff_queue import QueueFilters

# The 38 provinces (Kemendagri). An empty province/kabupaten breaks SPSE's
# data aggregation later, so both are required (reference/domain.md).
PROVINCES = [
    "Aceh", "Sumatera Utara", "Sumatera Barat", "Riau", "Kepulauan Riau", "Jambi",
    "Sumatera Selatan", "Kepulauan Bangka Belitung", "Bengkulu", "Lampung", "DKI Jakarta",
    "Jawa Barat", "Banten", "Jawa Tengah", "DI Yogyakarta", "Jawa Timur", "Bali",
    "Nusa Tenggara Barat", "Nusa Tenggara Timur", "Kalimantan Barat", "Kalimantan Tengah",
    "Kalimantan Selatan", "Kalimantan Timur", "Kalimantan Utara", "Sulawesi Utara",
    "Gorontalo", "Sulawesi Tengah", "Sulawesi Barat", "Sulawesi Selatan", "Sulawesi Tenggara",
    "Maluku", "Maluku Utara", "Papua", "Papua Barat", "Papua Barat Daya", "Papua Selatan",
    "Papua Tengah", "Papua Pegunungan",
]


# Suggestions while typing the kabupaten/kota (any name is accepted: vendors come
# from everywhere, but most of an office's come from its own province).
KALIMANTAN_BARAT = [
    "Kabupaten Bengkayang", "Kabupaten Kapuas Hulu", "Kabupaten Kayong Utara",
    "Kabupaten Ketapang", "Kabupaten Kubu Raya", "Kabupaten Landak", "Kabupaten Melawi",
    "Kabupaten Mempawah", "Kabupaten Sambas", "Kabupaten Sanggau", "Kabupaten Sekadau",
    "Kabupaten Sintang", "Kota Pontianak", "Kota Singkawang",
]


class CompanyForm(forms.ModelForm):
    """B.2/B.7: the company data, checked as the vendor types it."""

    province = forms.ChoiceField(
        label=_("Provinsi"), choices=[("", "—")] + [(p, p) for p in PROVINCES])
    npwp_confirmed = forms.BooleanField(
        label=_("Saya yakin NPWP di atas sudah benar sesuai kartu NPWP."), required=False)

    class Meta:
        model = Registration
        fields = [
            "business_form", "company_name", "npwp", "nib", "address", "province", "regency",
            "postal_code", "phone", "email", "director_name", "director_nik", "represented",
            "representative_name", "representative_nik", "has_akta_pendirian",
            "has_akta_perubahan", "spse_user_id",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "npwp": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "nib": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "director_nik": forms.TextInput(attrs={"inputmode": "numeric"}),
            "representative_nik": forms.TextInput(attrs={"inputmode": "numeric"}),
            "postal_code": forms.TextInput(attrs={"inputmode": "numeric"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
            "regency": forms.TextInput(attrs={"list": "kabupaten-kota",
                                              "autocomplete": "address-level2"}),
        }
        help_texts = {
            "npwp": identifiers.NPWP_FORMAT,
            "nib": identifiers.NIB_FORMAT,
            "director_nik": identifiers.NIK_FORMAT,
            "representative_nik": identifiers.NIK_FORMAT,
            "phone": identifiers.PHONE_FORMAT,
            "represented": _("Centang jika verifikasi tidak dilakukan langsung oleh "
                             "direktur/pemilik; Surat Kuasa dan KTP Penerima Kuasa "
                             "menjadi wajib."),
            "has_akta_pendirian": _("Akta Pendirian Perusahaan menjadi wajib diunggah."),
            "has_akta_perubahan": _("Akta Perubahan Perusahaan menjadi wajib diunggah."),
        }

    def __init__(self, *args, office=None, editable_fields=None, flags=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, flag in (flags or {}).items():
            if name in self.fields:
                self.fields[name].flag_note = flag.note
        if editable_fields is not None:
            # A revision: only what the verifier flagged can change.
            for name, field in self.fields.items():
                if name not in editable_fields and not (
                        name == "npwp_confirmed" and "npwp" in editable_fields):
                    field.disabled = True
        self.npwp_warnings: list[str] = []
        for name in ["business_form", "company_name", "npwp", "nib", "address", "regency",
                     "phone", "email", "director_name", "director_nik", "spse_user_id"]:
            self.fields[name].required = True
        # People type identifiers with dots, dashes and spaces; the clean_*
        # methods normalise them to the stored digits.
        for name in ["npwp", "nib", "director_nik", "representative_nik", "phone"]:
            self.fields[name].max_length = 30
            self.fields[name].widget.attrs["maxlength"] = 30
            self.fields[name].validators = []
        if office is not None:
            self.fields["spse_user_id"].help_text = _(
                "User ID yang Anda buat saat mendaftar di %(url)s") % {"url": office.spse_url}
        if self.instance and self.instance.npwp_display:
            self.initial.setdefault("npwp", self.instance.npwp_display)

    def clean_npwp(self):
        raw = self.cleaned_data["npwp"]
        confirmed = bool(self.data.get(self.add_prefix("npwp_confirmed")))
        sixteen, display, warnings = identifiers.npwp_clean(raw, checksum_confirmed=confirmed)
        self.npwp_display = display
        self.npwp_warnings = warnings
        return sixteen

    def clean_nib(self):
        return identifiers.nib_clean(self.cleaned_data["nib"])

    def clean_director_nik(self):
        return identifiers.nik_clean(self.cleaned_data["director_nik"])

    def clean_phone(self):
        return identifiers.phone_clean(self.cleaned_data["phone"])

    def clean_postal_code(self):
        value = (self.cleaned_data.get("postal_code") or "").strip()
        if value and (not value.isdigit() or len(value) != 5):
            raise ValidationError(_("Kode pos harus 5 digit angka, contoh 78813."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("represented"):
            for name in ["representative_name", "representative_nik"]:
                if not data.get(name):
                    self.add_error(name, _("Wajib diisi jika verifikasi diwakilkan."))
            nik = data.get("representative_nik")
            if nik:
                try:
                    data["representative_nik"] = identifiers.nik_clean(nik)
                except ValidationError as e:
                    self.add_error("representative_nik", e)
            if nik and data.get("director_nik") == data.get("representative_nik"):
                self.add_error("representative_nik", _(
                    "Penerima kuasa harus orang lain, bukan direktur/pemilik sendiri."))
        else:
            data["representative_name"] = data["representative_nik"] = ""
        return data

    def company_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["npwp_display"] = getattr(self, "npwp_display", "")
        data["identifier_warnings"] = self.npwp_warnings
        return data


class QueueFilterForm(forms.Form):
    STATUS_CHOICES = [("actionable", _("Perlu tindakan")), ("all", _("Semua"))] + list(
        RegistrationStatus.choices)
    ASSIGNED_CHOICES = [("", _("Semua verifikator")), ("me", _("Saya tangani")),
                        ("unassigned", _("Belum ada verifikator"))]
    WAITED_CHOICES = [("0", _("Berapa pun")), ("1", _("≥ 1 hari")), ("3", _("≥ 3 hari")),
                      ("7", _("≥ 7 hari")), ("14", _("≥ 14 hari"))]

    q = forms.CharField(label=_("Cari"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={
                            "placeholder": _("Nama perusahaan, NPWP, NIB, atau email"),
                            "type": "search"}))
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    assigned = forms.ChoiceField(label=_("Ditangani"), choices=ASSIGNED_CHOICES, required=False)
    waited = forms.ChoiceField(label=_("Menunggu"), choices=WAITED_CHOICES, required=False)
    terlambat = forms.BooleanField(label=_("Terlambat saja"), required=False)

    def __init__(self, *args, status_counts: dict[str, int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if status_counts is not None:
            # "Diajukan (12)": how many each choice holds (staff_queue.status_counts).
            self.fields["status"].choices = [
                (value, f"{label} ({status_counts.get(value, 0)})")
                for value, label in self.STATUS_CHOICES]

    def filters(self):
        if not self.is_bound or not self.is_valid():
            return QueueFilters()
        data = self.cleaned_data
        return QueueFilters(status=data["status"] or "actionable", assigned=data["assigned"],
                            waited_days=int(data["waited"] or 0), q=data["q"],
                            late=data["terlambat"])


class DocumentReviewForm(forms.Form):
    """C.3: one document accepted, or "perlu perbaikan" with reasons and a note."""

    decision = forms.ChoiceField(label=_("Keputusan"), choices=Decision.choices,
                                 widget=forms.RadioSelect)
    reasons = forms.ModelMultipleChoiceField(
        label=_("Alasan perbaikan"), queryset=DeficiencyReason.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("Catatan untuk Pelaku Usaha"), required=False,
                           max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, reasons=(), review=None, **kwargs):
        if review is not None and "initial" not in kwargs:
            kwargs["initial"] = {"decision": review.decision, "note": review.note,
                                 "reasons": [r.pk for r in review.reasons.all()]}
        super().__init__(*args, **kwargs)
        self.fields["reasons"].queryset = DeficiencyReason.objects.filter(
            pk__in=[r.pk for r in reasons])
