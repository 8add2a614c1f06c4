from django import forms
from django.utils.translation import gettext_lazy as _

from .elements import ELEMENTS, SCALE
from .models import ServiceStandard
from .standard import EDITABLE

ERR_CHOOSE = _("Pilih satu jawaban.")


class ServiceStandardForm(forms.ModelForm):
    class Meta:
        model = ServiceStandard
        fields = EDITABLE
        widgets = {name: forms.Textarea(attrs={"rows": 6})
                   for name in EDITABLE if name not in ("service_days", "cost")}


class SurveyForm(forms.Form):
    """The nine questions, each with the regulation's four answers (1–4), and a suggestion."""

    suggestion = forms.CharField(
        label=_("Saran dan masukan untuk perbaikan layanan (tidak wajib)"), required=False,
        max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        questions = {}
        for number, element in enumerate(ELEMENTS, start=1):
            questions[element.code] = forms.TypedChoiceField(
                label=element.question, coerce=int, widget=forms.RadioSelect,
                choices=list(zip(SCALE, element.answers, strict=True)),
                error_messages={"required": ERR_CHOOSE, "invalid_choice": ERR_CHOOSE})
            questions[element.code].element = element
            questions[element.code].number = number
        self.fields = {**questions, "suggestion": self.fields["suggestion"]}

    def questions(self):
        return [self[e.code] for e in ELEMENTS]
