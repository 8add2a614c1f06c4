from django import forms
from django.utils.translation import gettext_lazy as _

from .checking import CHECK_MESSAGES, MAX_CHECK_BYTES, CheckState
from .models import RevocationReason
from .services import ERR_REASON_CATEGORY_REQUIRED, ERR_REASON_REQUIRED, MAX_REVOKE_REASON

ERR_NO_FILE = _("Pilih berkas PDF tanda lulus yang akan diperiksa.")
ERR_EMPTY_FILE = _("Berkas yang diunggah kosong.")


class CheckUploadForm(forms.Form):
    """Upload a PDF to check whether it is an unaltered certificate we issued."""

    file = forms.FileField(
        label=_("Berkas PDF tanda lulus"),
        error_messages={"required": ERR_NO_FILE, "empty": ERR_EMPTY_FILE,
                        "invalid": ERR_NO_FILE},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if self.too_large or (upload is not None and upload.size > MAX_CHECK_BYTES):
            self._errors.pop("file", None)
            raise forms.ValidationError(
                str(CHECK_MESSAGES[CheckState.TOO_LARGE])
                % {"max": MAX_CHECK_BYTES // (1024 * 1024)}, code="too_large")
        return cleaned


class RevokeForm(forms.Form):
    reason_category = forms.ChoiceField(
        label=_("Kategori alasan"), choices=RevocationReason.choices, widget=forms.RadioSelect,
        help_text=_("Ditampilkan di halaman cek publik bersama tanggal pencabutan."),
        error_messages={"required": ERR_REASON_CATEGORY_REQUIRED,
                        "invalid_choice": ERR_REASON_CATEGORY_REQUIRED},
    )
    reason = forms.CharField(
        label=_("Alasan pencabutan"), max_length=MAX_REVOKE_REASON,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Hanya untuk catatan internal dan Ketua Tim; halaman cek publik hanya "
                    "menyebut “DICABUT”, tanggalnya, dan kategori alasannya."),
        error_messages={"required": ERR_REASON_REQUIRED},
    )
