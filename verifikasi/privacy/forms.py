from django import forms
from django.utils.translation import gettext_lazy as _

from .corrections import FIELD_CHOICES
from .models import RequestDecision, RequestKind
from .requests import MAX_TEXT


class DataRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis permintaan"), choices=RequestKind.choices,
                             widget=forms.RadioSelect)
    field = forms.ChoiceField(label=_("Data yang salah (untuk perbaikan)"), required=False,
                              choices=[("", "—"), *FIELD_CHOICES])
    details = forms.CharField(
        label=_("Keterangan"), required=False, max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Untuk perbaikan: apa yang salah dan apa yang benar."))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Keputusan"), choices=RequestDecision.choices,
                                 widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Alasan (dikirim kepada pemohon)"), max_length=MAX_TEXT,
                             widget=forms.Textarea(attrs={"rows": 4}))
