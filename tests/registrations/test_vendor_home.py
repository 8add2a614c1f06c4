from django.urls import reverse

from tests.registrations.factories import make_registration
from verifikasi.registrations.models import Registration


def test_it_shows_the_timeline_and_what_is_missing(vendor_client, vendor, office):
    make_registration(vendor, office, complete=False)
    response = vendor_client.get(reverse("home"))
    html = response.content.decode()
    steps = response.context["steps"]
    assert [s.state for s in steps][:3] == ["done", "current", "next"]
    assert "langkah Anda sekarang" in html
    assert "Data perusahaan belum lengkap" in html


def test_after_a_rejection_the_vendor_sees_why_and_can_start_again(vendor_client, vendor,
                                                                   office):
    make_registration(vendor, office, status="rejected", closing_reason="Dokumen palsu")
    html = vendor_client.get(reverse("home")).content.decode()
    assert "Dokumen palsu" in html
    assert reverse("registration_new") in html
    vendor_client.post(reverse("registration_new"))
    assert Registration.objects.filter(vendor=vendor, status="draft").count() == 1


def test_a_completed_vendor_can_start_a_re_verification(vendor_client, vendor, office):
    make_registration(vendor, office, status="completed")
    html = vendor_client.get(reverse("home")).content.decode()
    assert "Proses verifikasi selesai" in html
    assert reverse("registration_new") in html


def test_the_verifiers_step_is_not_called_the_vendors(vendor_client, vendor, office):
    """Issue 21: while the verifier checks the documents, the vendor has nothing to do."""
    make_registration(vendor, office, status="submitted")
    response = vendor_client.get(reverse("home"))
    html = response.content.decode()
    current = next(s for s in response.context["steps"] if s.state == "current")
    assert current.spec == "C.3" and not current.vendors_turn
    assert "sedang diproses tim verifikator" in html
    assert "langkah Anda sekarang" not in html


def test_after_deficiencies_fixing_them_is_the_vendors_step_and_the_list_is_above(
        vendor_client, vendor, office):
    make_registration(vendor, office, status="revision_requested")
    response = vendor_client.get(reverse("home"))
    html = response.content.decode()
    current = next(s for s in response.context["steps"] if s.state == "current")
    assert current.vendors_turn
    assert "langkah Anda sekarang" in html
    assert "lihat daftar perbaikan di atas" in html
    assert "di bawah" not in html
