import pytest
from django.core.exceptions import ValidationError

from verifikasi.registrations.identifiers import nib_clean, nik_clean, npwp_clean, phone_clean


@pytest.mark.parametrize("raw", ["6104015201900001", "6104 0152 0190 0001", "6104-0152-0190-0001"])
def test_it_accepts_a_nik_with_spaces_or_dashes(raw):
    assert nik_clean(raw) == "6104015201900001"


@pytest.mark.parametrize("raw, code", [
    ("610401520190000", "nik_format"),       # 15 digits
    ("61040152019000AB", "nik_format"),      # letters
    ("6104019901900001", "nik_date"),        # day 99
    ("6104013213900001", "nik_date"),        # month 13
    ("0004015201900001", "nik_region"),      # no region 0004
])
def test_it_refuses_a_bad_nik_with_its_reason(raw, code):
    with pytest.raises(ValidationError) as e:
        nik_clean(raw)
    assert e.value.code == code


def test_a_bad_nik_message_shows_the_expected_format():
    with pytest.raises(ValidationError) as e:
        nik_clean("12345")
    assert "16 digit" in str(e.value.messages[0])
    assert "6104015201900001" in str(e.value.messages[0])


def test_it_normalises_a_15_digit_npwp_to_16_and_keeps_the_display_form():
    assert npwp_clean("01.300.066.6-091.000") == ("0013000666091000", "01.300.066.6-091.000", [])


def test_it_accepts_a_16_digit_npwp():
    assert npwp_clean("0013000666091000")[0] == "0013000666091000"
    assert npwp_clean("3171011501900001") == ("3171011501900001", "", [])


def test_it_refuses_an_npwp_with_a_wrong_check_digit_unless_confirmed():
    with pytest.raises(ValidationError) as e:
        npwp_clean("013000667091000")
    assert e.value.code == "npwp_checksum"
    sixteen, _, warnings = npwp_clean("013000667091000", checksum_confirmed=True)
    assert sixteen == "0013000667091000"
    assert warnings and "kontrol" in warnings[0]


@pytest.mark.parametrize("raw", ["12345", "01300066609100", "00130006660910001", "abc"])
def test_it_refuses_an_npwp_of_the_wrong_length(raw):
    with pytest.raises(ValidationError) as e:
        npwp_clean(raw)
    assert e.value.code == "npwp_format"
    assert "15 digit" in str(e.value.messages[0])


def test_nib_must_be_13_digits():
    assert nib_clean("9120 0012 34567") == "9120001234567"
    with pytest.raises(ValidationError, match="13 digit"):
        nib_clean("912000123456")


@pytest.mark.parametrize("raw", ["0812-3456-7890", "+62 812 3456 7890", "6281234567890"])
def test_it_normalises_indonesian_mobile_numbers(raw):
    assert phone_clean(raw) == "+6281234567890"


@pytest.mark.parametrize("raw", ["12345", "+1 202 555 0123", "telepon"])
def test_it_refuses_non_indonesian_or_invalid_phone_numbers(raw):
    with pytest.raises(ValidationError, match="0812 3456 7890"):
        phone_clean(raw)
