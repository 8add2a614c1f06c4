"""Certificate numbers: a yearly sequence per office with no gaps and no duplicates."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction

from tests.conftest import make_user
from tests.registrations.factories import add_all_documents, make_registration
from verifikasi.certificates.models import Certificate
from verifikasi.certificates.numbering import format_number, validate_number_pattern
from verifikasi.certificates.selectors import certificate_settings_get

from .conftest import issue

WIB = zoneinfo.ZoneInfo("Asia/Pontianak")


def verified_registration(office, n: int, verifier=None):
    vendor = make_user(f"vendor{n}@usaha.test", full_name=f"Pemilik {n}")
    registration_verified = make_registration(
        vendor, office, status="verified", assigned_to=verifier,
        company_name=f"CV Usaha {n}", npwp=f"{n:016d}", npwp_display="")
    add_all_documents(registration_verified)
    return registration_verified


def test_it_numbers_certificates_sequentially_within_a_year(office, verifier):
    certificates = [issue(verified_registration(office, n, verifier)) for n in range(1, 4)]

    assert [c.seq for c in certificates] == [1, 2, 3]
    year = certificates[0].year
    assert [c.number for c in certificates] == [
        f"0001/LPSE-KTP/VD/{year}", f"0002/LPSE-KTP/VD/{year}", f"0003/LPSE-KTP/VD/{year}"]


def test_it_restarts_at_one_in_a_new_year(office, verifier):
    with time_machine.travel(datetime.datetime(2026, 12, 31, 23, 50, tzinfo=WIB), tick=False):
        last_of_2026 = [issue(verified_registration(office, n, verifier)) for n in (1, 2)][-1]
    # 00:10 WIB on 1 January is still 31 December in UTC: the office's clock decides.
    with time_machine.travel(datetime.datetime(2027, 1, 1, 0, 10, tzinfo=WIB), tick=False):
        first_of_2027 = issue(verified_registration(office, 3, verifier))

    assert (last_of_2026.year, last_of_2026.seq) == (2026, 2)
    assert (first_of_2027.year, first_of_2027.seq) == (2027, 1)
    assert first_of_2027.number == "0001/LPSE-KTP/VD/2027"


def test_a_rolled_back_issue_does_not_burn_a_number(office, verifier):
    first = verified_registration(office, 1, verifier)
    with pytest.raises(RuntimeError), transaction.atomic():
        issue(first)
        raise RuntimeError("the caller's transaction fails after issuing")

    again = issue(first)
    after = issue(verified_registration(office, 2, verifier))

    assert (again.seq, after.seq) == (1, 2)
    assert Certificate.objects.count() == 2


def test_a_failed_signature_does_not_burn_a_number(settings, tmp_path, office, verifier):
    from verifikasi.certificates.signing import SigningNotConfigured

    registration_verified = verified_registration(office, 1, verifier)
    key = settings.CERTIFICATE_P12_PATH
    settings.CERTIFICATE_P12_PATH = str(tmp_path / "missing.p12")
    with pytest.raises(SigningNotConfigured):
        issue(registration_verified)

    settings.CERTIFICATE_P12_PATH = key
    assert issue(registration_verified).seq == 1


def test_numbers_are_per_office(office, other_office, verifier):
    from tests.conftest import make_user as user

    other_verifier = user("v@sambas.test", "verifier", other_office, full_name="Verifikator Sambas")
    ours = issue(verified_registration(office, 1, verifier))
    theirs_registration = make_registration(
        user("x@usaha.test"), other_office, status="verified", assigned_to=other_verifier)
    theirs = issue(theirs_registration, documents=["KTP", "NPWP", "NIB"])

    assert ours.seq == theirs.seq == 1
    assert theirs.number == f"0001/LPSE-KTP/VD/{theirs.year}"  # the default pattern


def test_the_pattern_may_use_the_month_and_the_office_code(office, verifier):
    cfg = certificate_settings_get(office)
    cfg.number_pattern = "{office_code}/{seq:03d}/{month_roman}/{year}"
    cfg.save()

    with time_machine.travel(datetime.datetime(2026, 11, 26, 9, 0, tzinfo=WIB), tick=False):
        certificate = issue(verified_registration(office, 1, verifier))

    assert certificate.number == "ketapang/001/XI/2026"


@pytest.mark.parametrize("pattern", [
    "{seq}",  # no year: numbers would repeat every year
    "{year}",  # no sequence
    "{seq}/{year}/{nomor}",  # unknown placeholder
    "{seq.__class__}/{year}",  # attribute access
    "{seq}/{year}/{0}",  # positional
    "{seq:zz}/{year}",  # bad format spec
    "{seq/{year}",  # unbalanced brace
])
def test_it_refuses_a_bad_pattern(pattern):
    with pytest.raises(ValidationError):
        validate_number_pattern(pattern)


def test_it_accepts_the_documented_placeholders():
    pattern = "{seq:04d}/{office_code}/{month_roman}/{year}"
    validate_number_pattern(pattern)
    assert format_number(pattern, seq=7, year=2026, month=2, office_code="ktp") == \
        "0007/ktp/II/2026"
