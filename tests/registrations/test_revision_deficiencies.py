"""C.3 "mengisi kembali formulir" as the vendor sees it: each flagged document and field,
why, and whether it was fixed — on the home, documents and resubmit pages alike
(revision.revision_deficiencies)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import login
from tests.registrations.factories import add_document, ready_to_submit
from tests.registrations.test_review import decide, reason, url
from verifikasi.registrations import revision
from verifikasi.registrations.models import DocumentCheck


@pytest.fixture
def flagged(verifier_client, vendor, office):
    """NPWP flagged as unreadable with a note, the phone number flagged; KTP and NIB fine."""
    registration = ready_to_submit(vendor, office, status="submitted", review_round=1)
    decide(verifier_client, registration, "ktp", "accepted")
    decide(verifier_client, registration, "nib", "accepted")
    decide(verifier_client, registration, "npwp", "needs_fix", [reason(office, "unreadable")],
           "Scan ulang dengan cahaya cukup.")
    verifier_client.post(url("staff_flag_field", registration),
                         {"field": "phone", "note": "Nomor tidak aktif"})
    verifier_client.post(url("staff_complete", registration))
    registration.refresh_from_db()
    assert registration.status == "revision_requested"
    return registration


def card(html: str, code: str) -> str:
    """One document's card on the documents page."""
    match = re.search(rf'<section class="card document" id="doc-{code}".*?</section>', html,
                      re.S)
    assert match, f"no card for {code}"
    return match[0]


def deficiency_list(html: str) -> str:
    match = re.search(r'<section class="card deficiencies" id="perbaikan">.*?</section>', html,
                      re.S)
    assert match, "no deficiency list"
    return match[0]


def page(client, name, registration) -> str:
    response = client.get(reverse(name, args=[registration.code]) if name != "home"
                          else reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


class TestRevisionDeficiencies:
    def test_it_lists_each_flag_with_its_reasons_as_still_to_do(self, flagged):
        items = revision.revision_deficiencies(flagged)
        assert [(d.subject, d.reasons, d.note, d.state) for d in items] == [
            ("NPWP", ["Tidak terbaca / buram"], "Scan ulang dengan cahaya cukup.", "todo"),
            ("Telepon/WhatsApp", [], "Nomor tidak aktif", "todo"),
        ]

    def test_a_replacement_and_a_changed_value_count_as_fixed(self, flagged):
        add_document(flagged, "npwp")
        flagged.phone = "+6281311112222"
        flagged.save()
        assert [d.state for d in revision.revision_deficiencies(flagged)] == ["fixed", "fixed"]

    def test_a_replacement_still_being_checked_is_shown_as_such(self, flagged):
        new = add_document(flagged, "npwp")
        new.check_state = DocumentCheck.CHECKING
        new.save()
        assert revision.revision_deficiencies(flagged)[0].state == "checking"

    def test_a_refused_replacement_is_still_to_do(self, flagged):
        new = add_document(flagged, "npwp")
        new.check_state = DocumentCheck.REFUSED
        new.save()
        assert revision.revision_deficiencies(flagged)[0].state == "todo"

    def test_outside_a_revision_there_is_nothing(self, vendor, office):
        assert revision.revision_deficiencies(
            ready_to_submit(vendor, office, status="submitted", review_round=1)) == []


class TestDocumentsPage:
    def test_a_flagged_card_says_why_it_must_be_replaced(self, flagged):
        html = page(login(Client(), flagged.vendor), "registration_documents", flagged)
        npwp = card(html, "npwp")
        assert "Harus diganti" in npwp
        assert "Tidak terbaca / buram" in npwp
        assert "Scan ulang dengan cahaya cukup." in npwp
        assert 'class="upload"' in npwp
        ktp = card(html, "ktp")
        assert "Harus diganti" not in ktp and 'class="upload"' not in ktp

    def test_after_the_reupload_the_card_says_it_was_replaced(self, flagged):
        add_document(flagged, "npwp")
        npwp = card(page(login(Client(), flagged.vendor), "registration_documents", flagged),
                    "npwp")
        assert "sudah diganti" in npwp and "Harus diganti" not in npwp
        assert "Tidak terbaca / buram" in npwp  # still says what it was about

    def test_the_card_htmx_returns_after_the_check_says_it_was_replaced(self, flagged):
        new = add_document(flagged, "npwp")
        response = login(Client(), flagged.vendor).get(
            reverse("document_check_status", args=[flagged.code, new.code]),
            HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        html = response.content.decode()
        assert "sudah diganti" in html and "Tidak terbaca / buram" in html

    def test_it_leads_on_to_the_resubmit_page(self, flagged):
        html = page(login(Client(), flagged.vendor), "registration_documents", flagged)
        assert "Lanjut: ajukan kembali" in html
        assert reverse("registration_submit", args=[flagged.code]) in html


class TestResubmitAndHome:
    @pytest.mark.parametrize("name", ["registration_submit", "home"])
    def test_the_list_marks_what_is_still_to_do(self, flagged, name):
        listed = deficiency_list(page(login(Client(), flagged.vendor), name, flagged))
        assert listed.count("Harus diganti") == 1 and listed.count("Harus diubah") == 1
        assert "sudah diganti" not in listed and "sudah diubah" not in listed
        assert "Tidak terbaca / buram" in listed and "Nomor tidak aktif" in listed

    @pytest.mark.parametrize("name", ["registration_submit", "home"])
    def test_the_list_marks_what_was_fixed(self, flagged, name):
        add_document(flagged, "npwp")
        flagged.phone = "+6281311112222"
        flagged.save()
        listed = deficiency_list(page(login(Client(), flagged.vendor), name, flagged))
        assert "sudah diganti" in listed and "sudah diubah" in listed
        assert "Harus diganti" not in listed and "Harus diubah" not in listed

    def test_the_resubmit_page_does_not_link_to_itself(self, flagged):
        html = page(login(Client(), flagged.vendor), "registration_submit", flagged)
        listed = deficiency_list(html)
        assert reverse("registration_submit", args=[flagged.code]) not in listed
        assert "Ajukan kembali ke verifikator" in html
