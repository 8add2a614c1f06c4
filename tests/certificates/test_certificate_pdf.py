"""The certificate PDF: what it says, its QR code, and that it says nothing more."""

import pypdfium2 as pdfium
from django.conf import settings
from django.urls import reverse

from tests.registrations.factories import COMPANY

from .conftest import certificate_bytes, issue


def page_text(pdf: bytes) -> str:
    """The page's text with line breaks and runs of spaces as single spaces."""
    return " ".join(pdfium.PdfDocument(pdf)[0].get_textpage().get_text_range().split())


def test_it_is_one_a4_portrait_page(certificate):
    document = pdfium.PdfDocument(certificate_bytes(certificate))
    assert len(document) == 1
    assert tuple(round(v) for v in document[0].get_size()) == (595, 842)


def test_it_states_the_facts_the_number_and_the_letterhead(certificate, office, verifier):
    text = page_text(certificate_bytes(certificate))

    for line in office.letterhead_lines:
        assert line in text
    assert "TANDA LULUS VERIFIKASI" in text
    assert f"Nomor: {certificate.number}" in text
    assert f"pada {office.name}" in text
    for value in (COMPANY["company_name"], COMPANY["npwp"], COMPANY["npwp_display"],
                  COMPANY["nib"], COMPANY["director_name"], verifier.full_name,
                  "20 November 2026"):
        assert value in text
    for name in certificate.documents:
        assert name in text
    assert {"KTP", "NPWP", "NIB"} <= {n.split()[0] for n in certificate.documents}


def test_it_names_the_representative_when_verification_was_by_proxy(vendor, office, verifier):
    from tests.registrations.factories import add_all_documents, make_registration

    registration_verified = make_registration(
        vendor,
        office,
        status="verified",
        assigned_to=verifier,
        represented=True,
        representative_name="Ahmad Kuasa",
        representative_nik="6104015506900002",
    )
    add_all_documents(registration_verified)
    text = page_text(certificate_bytes(issue(registration_verified)))

    assert "Ahmad Kuasa (Penerima Kuasa)" in text
    assert "Surat Kuasa" in text


def test_it_carries_no_nik_and_no_contact_data(certificate):
    pdf = certificate_bytes(certificate)
    text = page_text(pdf)
    for value in (COMPANY["director_nik"], COMPANY["phone"], COMPANY["email"]):
        assert value not in text
        assert value.encode() not in pdf


def test_it_is_dated_in_indonesian_at_the_office_place(certificate):
    from django.utils import timezone

    from verifikasi.certificates.pdf import MONTHS

    issued = timezone.localtime(certificate.issued_at, certificate.office.tzinfo)
    expected = f"Ketapang, {issued.day} {MONTHS[issued.month - 1]} {issued.year}"
    text = page_text(certificate_bytes(certificate))

    assert expected in text
    assert "Ketua Tim Verifikator LPSE Kab. Ketapang" in text


def test_its_qr_code_encodes_the_public_check_url_printed_under_it(certificate):
    import zxingcpp  # test extra: zxing-cpp

    url = settings.SITE_URL + reverse("certificate_check", args=[certificate.code])
    pdf = certificate_bytes(certificate)
    bitmap = pdfium.PdfDocument(pdf)[0].render(scale=3).to_pil()

    assert [r.text for r in zxingcpp.read_barcodes(bitmap)] == [url]
    assert url in page_text(pdf)


def test_it_escapes_markup_in_company_names(vendor, office, verifier):
    from tests.registrations.factories import add_all_documents, make_registration

    registration_verified = make_registration(
        vendor,
        office,
        status="verified",
        assigned_to=verifier,
        company_name="PT Karya <Bersama> & Putra",
    )
    add_all_documents(registration_verified)

    assert "PT Karya <Bersama> & Putra" in page_text(
        certificate_bytes(issue(registration_verified))
    )
