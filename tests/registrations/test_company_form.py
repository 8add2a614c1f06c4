import pytest
from django.urls import reverse

from tests.registrations.factories import make_registration
from verifikasi.core.models import AuditEvent
from verifikasi.registrations.models import Registration

FORM = {
    "business_form": "cv", "company_name": "CV Maju Jaya", "npwp": "01.300.066.6-091.000",
    "nib": "9120001234567", "address": "Jalan Merdeka No. 1", "province": "Kalimantan Barat",
    "regency": "Kabupaten Ketapang", "postal_code": "78813", "phone": "0812 3456 7890",
    "email": "cv.maju@example.test", "director_name": "Budi Santoso",
    "director_nik": "6104011201900001", "spse_user_id": "cvmajujaya",
}


def test_it_starts_a_registration_from_the_vendor_home(vendor_client, vendor, office):
    response = vendor_client.post(reverse("registration_new"))
    registration = Registration.objects.get(vendor=vendor)
    assert response["Location"] == reverse("registration_company", args=[registration.code])
    assert (registration.status, registration.office) == ("draft", office)
    # A second click does not make a second open registration.
    vendor_client.post(reverse("registration_new"))
    assert Registration.objects.filter(vendor=vendor).count() == 1


def test_it_saves_company_data_normalised(vendor_client, vendor, office):
    registration = make_registration(vendor, office, complete=False)
    url = reverse("registration_company", args=[registration.code])
    response = vendor_client.post(url, FORM)
    assert response.status_code == 302, response.context["form"].errors
    registration.refresh_from_db()
    assert registration.npwp == "0013000666091000"
    assert registration.npwp_display == "01.300.066.6-091.000"
    assert registration.phone == "+6281234567890"
    assert AuditEvent.objects.filter(action="registration.company_updated").exists()


def test_it_shows_each_identifier_error_with_the_expected_format(vendor_client, vendor, office):
    registration = make_registration(vendor, office, complete=False)
    bad = {**FORM, "npwp": "123", "nib": "12", "director_nik": "6104019901900001",
           "phone": "555", "province": ""}
    response = vendor_client.post(reverse("registration_company", args=[registration.code]), bad)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "01.300.066.6-091.000" in errors["npwp"][0]
    assert "13 digit" in errors["nib"][0]
    assert "tanggal lahir" in errors["director_nik"][0]
    assert "0812 3456 7890" in errors["phone"][0]
    assert "province" in errors
    registration.refresh_from_db()
    assert registration.company_name == ""  # nothing half-saved


def test_a_representative_needs_a_name_and_a_different_nik(vendor_client, vendor, office):
    registration = make_registration(vendor, office, complete=False)
    url = reverse("registration_company", args=[registration.code])
    response = vendor_client.post(url, {**FORM, "represented": "on"})
    assert set(response.context["form"].errors) == {"representative_name", "representative_nik"}
    response = vendor_client.post(url, {**FORM, "represented": "on", "representative_name": "X",
                                        "representative_nik": FORM["director_nik"]})
    assert "orang lain" in response.context["form"].errors["representative_nik"][0]
    response = vendor_client.post(url, {**FORM, "represented": "on",
                                        "representative_name": "Andi Kuasa",
                                        "representative_nik": "6104014505950002"})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.represented and registration.representative_nik == "6104014505950002"


def test_an_npwp_checksum_warning_can_be_confirmed_and_is_kept_for_the_verifier(
        vendor_client, vendor, office):
    registration = make_registration(vendor, office, complete=False)
    url = reverse("registration_company", args=[registration.code])
    response = vendor_client.post(url, {**FORM, "npwp": "013000667091000"})
    assert "Digit kontrol" in response.context["form"].errors["npwp"][0]
    assert "npwp_confirmed" in response.content.decode()
    response = vendor_client.post(url, {**FORM, "npwp": "013000667091000",
                                        "npwp_confirmed": "on"})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.identifier_warnings


def test_a_second_open_registration_for_the_same_npwp_is_refused(
        vendor_client, vendor, other_vendor, office):
    make_registration(other_vendor, office, status="submitted")
    registration = make_registration(vendor, office, complete=False)
    response = vendor_client.post(reverse("registration_company", args=[registration.code]), FORM)
    assert response.status_code == 200
    assert "sedang berjalan" in response.context["form"].errors["npwp"][0]
    registration.refresh_from_db()
    assert registration.npwp == ""


def test_company_data_is_locked_after_submitting(vendor_client, vendor, office):
    registration = make_registration(vendor, office, status="submitted")
    response = vendor_client.post(reverse("registration_company", args=[registration.code]),
                                  {**FORM, "company_name": "Ganti"})
    assert response.status_code == 403
    registration.refresh_from_db()
    assert registration.company_name == "CV Maju Jaya"


def test_the_kabupaten_field_suggests_the_regencies_of_kalimantan_barat(vendor_client, vendor,
                                                                        office):
    registration = make_registration(vendor, office, complete=False)
    html = vendor_client.get(reverse("registration_company", args=[registration.code])).content
    html = html.decode()
    assert 'list="kabupaten-kota"' in html
    assert '<option value="Kabupaten Ketapang">' in html


# Issue 13: input that must not reach a certificate, an email header or an .ics.
SINGLE_LINE_FIELDS = ["company_name", "regency", "director_name", "spse_user_id"]
ODD_CHARACTERS = {
    "line feed": "CV Maju\nBcc: x@evil.test",
    "carriage return": "CV Maju\rJaya",
    "line separator": "CV Maju\u2028Jaya",
    "right-to-left override": "CV Maju \u202eayaJ",
    "left-to-right embedding": "CV \u202aMaju",
    "first strong isolate": "CV \u2068Maju\u2069",
    "pop directional isolate": "CV Maju\u2069",
}


@pytest.mark.parametrize("field", SINGLE_LINE_FIELDS)
@pytest.mark.parametrize("kind", list(ODD_CHARACTERS))
def test_it_refuses_line_breaks_and_direction_controls_in_one_line_fields(
        vendor_client, vendor, office, field, kind):
    registration = make_registration(vendor, office, complete=False)
    url = reverse("registration_company", args=[registration.code])

    response = vendor_client.post(url, {**FORM, field: ODD_CHARACTERS[kind]})

    assert response.status_code == 200
    [message] = response.context["form"].errors[field]
    assert "satu baris" in message or "karakter tersembunyi" in message
    registration.refresh_from_db()
    assert registration.company_name == ""  # nothing saved


def test_a_representatives_name_is_one_line_too(vendor_client, vendor, office):
    registration = make_registration(vendor, office, complete=False)
    url = reverse("registration_company", args=[registration.code])

    response = vendor_client.post(url, {**FORM, "represented": "on",
                                         "representative_name": "Andi\nSaputra",
                                         "representative_nik": "6104011201900002"})

    assert "representative_name" in response.context["form"].errors


def test_names_with_accents_and_punctuation_are_fine(vendor_client, vendor, office):
    registration = make_registration(vendor, office, complete=False)
    url = reverse("registration_company", args=[registration.code])

    response = vendor_client.post(url, {**FORM, "company_name": "CV Ma'ruf & Söhne (Cab. 2)",
                                        "director_name": "Nur'aini Siti-Rahmah"})

    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.company_name == "CV Ma'ruf & Söhne (Cab. 2)"


def test_it_refuses_a_huge_address(vendor_client, vendor, office):
    # Today the address accepted 1.9 MB.
    registration = make_registration(vendor, office, complete=False)
    url = reverse("registration_company", args=[registration.code])

    page = vendor_client.get(url)
    assert 'maxlength="500"' in page.text
    response = vendor_client.post(url, {**FORM, "address": "Jalan Merdeka " * 140_000})

    assert response.status_code == 200
    assert "500" in response.context["form"].errors["address"][0]
    registration.refresh_from_db()
    assert registration.address == ""


def test_a_multi_line_address_is_still_fine(vendor_client, vendor, office):
    registration = make_registration(vendor, office, complete=False)
    url = reverse("registration_company", args=[registration.code])

    response = vendor_client.post(url, {**FORM, "address": "Jalan Merdeka No. 1\nRT 02/RW 03"})

    assert response.status_code == 302
