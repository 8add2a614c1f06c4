"""Certificate numbers (nomor tanda lulus) from an office's pattern.

A pattern is a Python format string with these placeholders, and no others:

- ``{seq}``         the yearly sequence number, 1, 2, 3 … (``{seq:04d}`` pads it: 0001)
- ``{year}``        the year of issue, four digits (in the office's time zone)
- ``{month_roman}`` the month of issue in Roman numerals (I … XII), as Indonesian
                    letter numbers often carry it
- ``{office_code}`` the office's code, e.g. ``ketapang``

``{seq}`` and ``{year}`` are required: the sequence restarts every year, so a
number is unique only together with its year.
"""

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DEFAULT_PATTERN = "{seq:04d}/LPSE-KTP/VD/{year}"
PLACEHOLDERS = ("seq", "year", "month_roman", "office_code")
REQUIRED = ("seq", "year")
ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")

ERR_PATTERN_SYNTAX = _("Pola nomor tidak dapat dibaca: %(error)s")
ERR_PATTERN_UNKNOWN = _("Pola nomor memuat penanda yang tidak dikenal: {%(name)s}. "
                        "Yang tersedia: {seq}, {year}, {month_roman}, {office_code}.")
ERR_PATTERN_REQUIRED = _("Pola nomor harus memuat {seq} dan {year}.")


def format_number(pattern: str, *, seq: int, year: int, month: int, office_code: str) -> str:
    return pattern.format(seq=seq, year=year, month_roman=ROMAN_MONTHS[month - 1],
                          office_code=office_code)


def validate_number_pattern(pattern: str) -> None:
    """Refuse a pattern that would fail, leak attributes, or repeat numbers across years."""
    try:
        fields = [name for _text, name, _spec, _conv in string.Formatter().parse(pattern)
                  if name is not None]
    except ValueError as e:
        raise ValidationError(ERR_PATTERN_SYNTAX, params={"error": e}) from None
    for name in fields:
        # Exact names only: "{seq.__class__}" or "{0}" must not reach str.format.
        if name not in PLACEHOLDERS:
            raise ValidationError(ERR_PATTERN_UNKNOWN, params={"name": name})
    if not all(name in fields for name in REQUIRED):
        raise ValidationError(ERR_PATTERN_REQUIRED)
    try:
        format_number(pattern, seq=1, year=2026, month=11, office_code="kode")
    except (ValueError, TypeError, KeyError, IndexError) as e:
        raise ValidationError(ERR_PATTERN_SYNTAX, params={"error": e}) from None
