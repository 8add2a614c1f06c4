from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .services import phone_e164

ERR_PHONE_REQUIRED = _("Isi nomor WhatsApp untuk menerima pemberitahuan.")


class ContactForm(forms.Form):
    phone = forms.CharField(label=_("Nomor WhatsApp"), max_length=30, required=False,
                            help_text=_("Nomor Indonesia, misalnya 0812 3456 7890."))
    opted_in = forms.BooleanField(
        label=_("Saya bersedia menerima pemberitahuan verifikasi melalui WhatsApp"),
        required=False)

    def clean(self):
        data = super().clean()
        phone = (data.get("phone") or "").strip()
        if data.get("opted_in") and not phone:
            raise ValidationError({"phone": ERR_PHONE_REQUIRED})
        if phone:
            try:
                data["phone"] = phone_e164(phone)
            except ValidationError as e:
                raise ValidationError({"phone": e.messages}) from None
        return data
