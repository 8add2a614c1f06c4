"""The one-line validator (issue 13): CR/LF and Unicode direction controls are refused."""

import pytest
from django.core.exceptions import ValidationError

from verifikasi.core.validators import validate_single_line

REFUSED = ["a\nb", "a\rb", "a\r\nb", "a\x85b", "a\u2028b", "a\u2029b", "a\x00b", "a\x1bb",
           *(f"a{chr(c)}b" for c in range(0x202A, 0x202F)),
           *(f"a{chr(c)}b" for c in range(0x2066, 0x206A))]
ACCEPTED = ["CV Maju & Jaya", "Nur'aini", "PT Ömer (Persero) Tbk.", "ا ب", "", "Jl. A/B-3"]


@pytest.mark.parametrize("value", REFUSED)
def test_it_refuses(value):
    with pytest.raises(ValidationError) as e:
        validate_single_line(value)
    assert e.value.code in ("line_break", "control_character")


@pytest.mark.parametrize("value", ACCEPTED)
def test_it_accepts(value):
    validate_single_line(value)


def test_the_messages_are_indonesian():
    with pytest.raises(ValidationError) as e:
        validate_single_line("a\nb")
    assert "satu baris" in e.value.messages[0]
