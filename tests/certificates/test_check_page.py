"""/cek/<code>/: the QR code's target, public, and showing only what the issue allows."""

import pytest
from django.urls import reverse

from tests.registrations.factories import COMPANY
from verifikasi.certificates.services import certificate_revoke

from .conftest import issue


def check(client, certificate):
    return client.get(reverse("certificate_check", args=[certificate.code]))


def test_it_shows_number_company_date_and_office_to_anyone(client, certificate, office):
    response = check(client, certificate)

    assert response.status_code == 200
    html = response.content.decode()
    assert certificate.number in html
    assert COMPANY["company_name"] in html
    assert office.name in html
    assert "masih berlaku" in html


def test_it_shows_the_issue_date_in_the_office_time_zone(client, certificate):
    import datetime

    from verifikasi.certificates.pdf import MONTHS

    certificate.issued_at = datetime.datetime(2026, 11, 26, 17, 30, tzinfo=datetime.UTC)
    certificate.save()  # 00:30 WIB on 27 November

    assert f"27 {MONTHS[10]} 2026" in check(client, certificate).content.decode()


def test_it_shows_no_personal_or_company_identifiers(client, registration_verified, verifier):
    # Distinctive document names: the seeded ones ("KTP") also occur in the number.
    documents = ["Kartu Tanda Penduduk Direksi", "Akta Pendirian Perusahaan CV Maju"]
    certificate = issue(registration_verified, documents=documents)
    html = check(client, certificate).content.decode()

    for value in (COMPANY["director_nik"], COMPANY["npwp"], COMPANY["npwp_display"],
                  COMPANY["nib"], COMPANY["phone"], COMPANY["email"], COMPANY["director_name"],
                  verifier.full_name, *certificate.documents):
        assert value not in html, value


def test_it_says_dicabut_with_the_date_and_category_but_not_the_reason(
        client, certificate, coordinator):
    certificate_revoke(reason_category="data_error", certificate=certificate, actor=coordinator,
                       reason="Salah ketik nama direktur Budi Santoso")

    html = check(client, certificate).content.decode()

    assert "DICABUT" in html
    assert "Kesalahan data pada tanda lulus" in html  # the category, public
    assert "Berlaku" not in html
    assert "Salah ketik" not in html
    from django.utils import timezone
    from django.utils.formats import date_format

    revoked = timezone.localtime(certificate.revoked_at, certificate.office.tzinfo)
    assert date_format(revoked, "j F Y") in html


def test_an_unknown_code_is_a_404(client, certificate):
    response = client.get(reverse("certificate_check", args=["bukan-kode-yang-ada-123"]))

    assert response.status_code == 404


def test_it_is_neither_cached_nor_indexed(client, certificate):
    response = check(client, certificate)

    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"


def test_the_code_is_random_not_the_number_or_the_pk(registration_verified, verifier, vendor):
    certificate = issue(registration_verified)

    assert len(certificate.code) >= 22
    assert certificate.number not in certificate.code
    assert str(certificate.pk) != certificate.code
    assert str(certificate.seq) != certificate.code


@pytest.mark.parametrize("method", ["put", "delete"])
def test_it_allows_only_get_and_post(client, certificate, method):
    url = reverse("certificate_check", args=[certificate.code])
    assert getattr(client, method)(url).status_code == 405
