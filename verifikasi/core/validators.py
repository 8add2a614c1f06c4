"""Validators for text that ends up on a certificate, in an email header or an .ics.

A company name, a person's name or a title is one line of visible text. A line
break in it can split an email header or an .ics property, and a Unicode
direction control (U+202A–E, U+2066–9) can make a certificate or a subject line
show something other than what is stored ("Trojan Source"). Such input is
refused with a clear message instead of being cleaned silently.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# CR, LF and the other line breaks Unicode and email clients honour.
LINE_BREAKS = re.compile("[\r\n\v\f\x85\u2028\u2029]")
# Direction embeddings/overrides (U+202A–E) and isolates (U+2066–9), plus the
# other C0/C1 control characters (NUL, ESC, …) that no typed name contains.
CONTROL_CHARACTERS = re.compile("[\u202a-\u202e\u2066-\u2069\x00-\x1f\x7f-\x9f]")

ERR_TOO_LONG = _("Isian ini paling banyak %(max)d karakter (sekarang %(length)d).")
ERR_LINE_BREAK = _("Isian ini harus satu baris: hapus ganti baris (Enter) di dalamnya.")
ERR_CONTROL_CHARACTER = _(
    "Isian ini berisi karakter tersembunyi (misalnya penanda arah teks) yang tidak "
    "diperbolehkan. Ketik ulang isian ini tanpa menyalin dari dokumen lain.")


@deconstructible
class SingleLineValidator:
    """Refuses line breaks and invisible control characters in a one-line field."""

    def __call__(self, value):
        if value is None:
            return
        text = str(value)
        if LINE_BREAKS.search(text):
            raise ValidationError(ERR_LINE_BREAK, code="line_break")
        if CONTROL_CHARACTERS.search(text):
            raise ValidationError(ERR_CONTROL_CHARACTER, code="control_character")

    def __eq__(self, other):
        return isinstance(other, SingleLineValidator)

    def __hash__(self):
        return hash(SingleLineValidator)


validate_single_line = SingleLineValidator()


def is_single_line(value) -> bool:
    try:
        validate_single_line(value)
    except ValidationError:
        return False
    return True


def text_within(value, *, max_length: int) -> str:
    """Free text a service receives outside a form (a reason, a note), stripped; too long is
    refused with a clear message rather than cut silently or sent whole in an email."""
    text = (value or "").strip()
    if len(text) > max_length:
        raise ValidationError(ERR_TOO_LONG, code="too_long",
                              params={"max": max_length, "length": len(text)})
    return text
