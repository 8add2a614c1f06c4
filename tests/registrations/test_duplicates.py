"""The duplicate and consistency card on the review screen (issue 20)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import assert_private_no_store, make_user
from tests.registrations.factories import make_registration
from verifikasi.core.models import AuditEvent
from verifikasi.registrations.duplicates import registration_duplicates
from verifikasi.registrations.models import Registration

OTHER_NPWP = "0027150012345000"
OTHER_NIB = "9120009876543"
OTHER_NIK = "6104014507850002"


@pytest.fixture
def under_review(vendor, office):
    return make_registration(vendor, office, status="submitted", review_round=1)


def another(office, email, **fields) -> Registration:
    """Another vendor's registration; by default a different company and person."""
    data = {"npwp": OTHER_NPWP, "nib": OTHER_NIB, "director_nik": OTHER_NIK,
            "company_name": "PT Lain Sekali", "status": "submitted", **fields}
    return make_registration(make_user(email), office, **data)


def review(client, registration):
    return client.get(reverse("staff_review", args=[registration.code]))


class TestFlags:
    def test_it_flags_an_npwp_used_under_another_company_name(self, under_review, office):
        other = another(office, "a@x.test", npwp=under_review.npwp, status="withdrawn",
                        company_name="CV Maju Sejahtera")
        report = registration_duplicates(under_review)
        assert [m.code for m in report.here] == [str(other.code)]
        assert report.here[0].shared == ["NPWP"]
        assert any(f.startswith("NPWP yang sama dipakai dengan nama perusahaan lain")
                   and "CV Maju Sejahtera" in f for f in report.flags), report.flags

    def test_it_flags_an_nib_used_under_another_company_name(self, under_review, office):
        another(office, "a@x.test", nib=under_review.nib, company_name="UD Berbeda")
        flags = registration_duplicates(under_review).flags
        assert any(f.startswith("NIB yang sama dipakai") and "UD Berbeda" in f for f in flags)

    def test_it_ignores_case_and_punctuation_of_the_same_name(self, under_review, office):
        another(office, "a@x.test", npwp=under_review.npwp, status="completed",
                company_name="CV. MAJU  JAYA")
        report = registration_duplicates(under_review)
        assert len(report.here) == 1
        assert report.flags == []

    def test_it_flags_one_nik_acting_for_several_companies(self, under_review, office):
        another(office, "a@x.test", director_nik=under_review.director_nik)
        another(office, "b@x.test", npwp="0031234567890000", nib="9120001111111",
                represented=True, representative_nik=under_review.director_nik,
                company_name="PT Ketiga")
        report = registration_duplicates(under_review)
        assert "NIK direktur/pemilik ini juga bertindak untuk 2 perusahaan lain." \
            in report.flags
        assert {tuple(m.shared) for m in report.here} == {("NIK direktur/pemilik",)}

    def test_it_matches_the_attorney_too(self, vendor, office):
        registration = make_registration(vendor, office, represented=True,
                                         representative_nik=OTHER_NIK, status="submitted")
        another(office, "a@x.test", npwp="0031234567890000", nib="9120001111111")
        report = registration_duplicates(registration)
        assert report.here[0].shared == ["NIK penerima kuasa"]
        assert "NIK penerima kuasa ini juga bertindak untuk 1 perusahaan lain." in report.flags

    def test_it_flags_a_company_rejected_before(self, under_review, office):
        rejected = another(office, "a@x.test", npwp=under_review.npwp, nib=under_review.nib,
                           company_name=under_review.company_name, status="rejected")
        Registration.objects.filter(pk=rejected.pk).update(
            status_changed_at=timezone.make_aware(datetime.datetime(2026, 3, 2, 10)))
        flags = registration_duplicates(under_review).flags
        assert flags == ["Perusahaan ini pernah ditolak: LPSE Kabupaten Ketapang, 2 Mar 2026."]

    def test_an_unrelated_registration_is_no_match(self, under_review, office):
        another(office, "a@x.test")
        assert registration_duplicates(under_review).empty


class TestOtherOffices:
    def test_another_office_shows_only_where_status_and_date(
            self, verifier_client, under_review, other_office):
        secret = another(other_office, "rahasia@x.test", npwp=under_review.npwp,
                         company_name="PT Rahasia Sambas", director_name="Orang Rahasia",
                         director_nik="6104016608800003", status="rejected")
        response = review(verifier_client, under_review)
        assert response.status_code == 200
        html = response.content.decode()
        card = html[html.index('id="duplikat"'):html.index('id="daftar-hitam"')]
        assert "Terdaftar di LPSE Kabupaten Sambas, Ditolak," in card
        assert "1 pendaftaran di kantor lain" in card
        assert "pernah ditolak: LPSE Kabupaten Sambas" in card
        for private in ("PT Rahasia Sambas", "Orang Rahasia", "6104016608800003",
                        str(secret.code), "rahasia@x.test", "<a "):
            assert private not in card, private
        match = response.context["duplicates"].elsewhere[0]
        assert (match.company_name, match.code, match.url, match.shared) == ("", "", "", [])

    def test_the_same_office_is_linked(self, verifier_client, under_review, office):
        other = another(office, "a@x.test", director_nik=under_review.director_nik)
        html = review(verifier_client, under_review).content.decode()
        link = reverse("staff_review", args=[other.code])
        assert f'<a href="{link}">PT Lain Sekali</a>' in html


class TestAudit:
    def test_showing_the_card_is_audited_and_the_page_stays_private(
            self, verifier_client, verifier, under_review, office, other_office):
        other = another(office, "a@x.test", director_nik=under_review.director_nik)
        another(other_office, "b@x.test", npwp=under_review.npwp)
        response = review(verifier_client, under_review)
        assert_private_no_store(response)
        event = AuditEvent.objects.get(action="registration.duplicates_shown")
        assert event.actor_email == verifier.email
        assert event.object_id == str(under_review.code)
        assert event.details == {"here": [str(other.code)], "elsewhere": 1, "flags": 2}
        # An audited read, not a step of the registration: not in its history card.
        assert "ditampilkan kepada verifikator" not in response.content.decode()

    def test_no_match_no_card_no_event(self, verifier_client, under_review):
        html = review(verifier_client, under_review).content.decode()
        assert 'id="duplikat"' not in html
        assert not AuditEvent.objects.filter(action="registration.duplicates_shown").exists()
