"""Indonesian identifiers typed by vendors: NIK, NPWP, NIB, phone numbers.

Every check returns the normalised value or raises ValidationError with an
Indonesian message that says what is wrong and shows the expected format
(reference/domain.md; python-stdnum implements NIK and NPWP).
"""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_exc
from stdnum.id import nik as stdnum_nik
from stdnum.id import npwp as stdnum_npwp

NIK_FORMAT = _("16 digit angka, contoh 6104015201900001")
NPWP_FORMAT = _("15 digit (01.300.066.6-091.000) atau 16 digit (0013000666091000)")
NIB_FORMAT = _("13 digit angka, contoh 9120001234567")
PHONE_FORMAT = _("nomor Indonesia, contoh 0812 3456 7890 atau +62 812 3456 7890")

ERR_NIK_DIGITS = _("NIK harus 16 digit angka (%(format)s).")
ERR_NIK_DATE = _("NIK tidak memuat tanggal lahir yang benar (digit ke-7 sampai 12: "
                 "DDMMYY, tanggal +40 untuk perempuan). Periksa kembali NIK pada KTP.")
ERR_NIK_REGION = _("Kode wilayah NIK (4 digit pertama) tidak dikenal. Periksa kembali NIK "
                   "pada KTP.")
ERR_NPWP_DIGITS = _("NPWP harus %(format)s.")
ERR_NPWP_CHECKSUM = _("Digit kontrol NPWP tidak cocok — mungkin ada angka yang salah ketik. "
                      "Periksa kembali NPWP (%(format)s). Jika Anda yakin benar, centang "
                      "konfirmasi di bawah kolom NPWP.")
ERR_NIB_DIGITS = _("NIB harus 13 digit angka dari OSS (%(format)s).")
ERR_PHONE = _("Nomor telepon/WhatsApp tidak valid. Gunakan %(format)s.")


def _digits(value: str) -> str:
    return re.sub(r"[\s.\-/]", "", value or "")


def nik_clean(value: str) -> str:
    """A NIK: 16 digits PPRRSSDDMMYYXXXX with a real birth date and a known region."""
    number = _digits(value)
    if not number.isdigit() or len(number) != 16:
        raise ValidationError(ERR_NIK_DIGITS, code="nik_format", params={"format": NIK_FORMAT})
    day = int(number[6:8])
    if not (1 <= day <= 31 or 41 <= day <= 71):
        raise ValidationError(ERR_NIK_DATE, code="nik_date")
    try:
        stdnum_nik.get_birth_date(number)
    except stdnum_exc.ValidationError:
        raise ValidationError(ERR_NIK_DATE, code="nik_date") from None
    try:
        stdnum_nik.validate(number)
    except stdnum_exc.ValidationError:
        raise ValidationError(ERR_NIK_REGION, code="nik_region") from None
    return number


def npwp_clean(value: str, *, checksum_confirmed: bool = False) -> tuple[str, str, list[str]]:
    """An NPWP, normalised: (16-digit form, 15-digit display form or "", warnings).

    Since 1 July 2024 NPWP has 16 digits (companies: a leading 0 before the old
    15). The Luhn check on the old form is not officially documented, so a vendor
    who insists gets a warning for the verifier instead of a refusal.
    """
    number = _digits(value)
    if not number.isdigit() or len(number) not in (15, 16):
        raise ValidationError(ERR_NPWP_DIGITS, code="npwp_format", params={"format": NPWP_FORMAT})
    fifteen = number if len(number) == 15 else (number[1:] if number.startswith("0") else "")
    warnings: list[str] = []
    if fifteen:
        try:
            stdnum_npwp.validate(fifteen)
        except stdnum_exc.InvalidChecksum:
            if not checksum_confirmed:
                raise ValidationError(ERR_NPWP_CHECKSUM, code="npwp_checksum",
                                      params={"format": NPWP_FORMAT}) from None
            warnings.append(str(_("Digit kontrol NPWP tidak cocok; Pelaku Usaha menyatakan "
                                  "NPWP sudah benar.")))
        except stdnum_exc.ValidationError:
            raise ValidationError(ERR_NPWP_DIGITS, code="npwp_format",
                                  params={"format": NPWP_FORMAT}) from None
    sixteen = number if len(number) == 16 else "0" + number
    display = stdnum_npwp.format(fifteen) if fifteen else ""
    return sixteen, display, warnings


def nib_clean(value: str) -> str:
    """An NIB: 13 digits issued by OSS (no public checksum)."""
    number = _digits(value)
    if not number.isdigit() or len(number) != 13:
        raise ValidationError(ERR_NIB_DIGITS, code="nib_format", params={"format": NIB_FORMAT})
    return number


def phone_clean(value: str) -> str:
    """An Indonesian phone/WhatsApp number, returned in E.164 (+62…)."""
    try:
        parsed = phonenumbers.parse(value or "", "ID")
    except phonenumbers.NumberParseException:
        raise ValidationError(ERR_PHONE, code="phone", params={"format": PHONE_FORMAT}) from None
    if parsed.country_code != 62 or not phonenumbers.is_valid_number(parsed):
        raise ValidationError(ERR_PHONE, code="phone", params={"format": PHONE_FORMAT})
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def phone_display(e164: str) -> str:
    try:
        return phonenumbers.format_number(phonenumbers.parse(e164, "ID"),
                                          phonenumbers.PhoneNumberFormat.NATIONAL)
    except phonenumbers.NumberParseException:
        return e164
