"""The verifier's review (spec C.3): decisions, deficiencies back to the vendor, resubmit."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import assert_private_no_store, login, make_user, run_worker
from tests.registrations.factories import add_document, ready_to_submit
from verifikasi.accounts.models import Role
from verifikasi.core.models import AuditEvent
from verifikasi.notifications.models import OutboundEmail
from verifikasi.registrations import review, review_screen, revision
from verifikasi.registrations.models import Decision, DocumentReview, FieldFlag


@pytest.fixture
def registration_submitted(vendor, office):
    return ready_to_submit(vendor, office, status="submitted", review_round=1)


def url(name, registration, *args):
    return reverse(name, args=[registration.code, *args])


def decide(client, registration, type_code, decision, reasons=(), note=""):
    data = {f"{type_code}-decision": decision, f"{type_code}-note": note,
            f"{type_code}-reasons": [r.pk for r in reasons]}
    return client.post(url("staff_review_document", registration, type_code), data)


def reason(office, code):
    return office.deficiency_reasons.get(code=code)


def accept_all(client, registration):
    for code in ["ktp", "npwp", "nib"]:
        assert decide(client, registration, code, "accepted").status_code == 302


def record_blacklist(client, registration, listed="0"):
    return client.post(url("staff_blacklist", registration), {"listed": listed})


class TestReviewScreen:
    def test_it_shows_company_data_documents_and_checks(
        self, verifier_client, registration_submitted
    ):
        response = verifier_client.get(url("staff_review", registration_submitted))
        assert response.status_code == 200
        html = response.content.decode()
        assert "CV Maju Jaya" in html and "01.300.066.6-091.000" in html
        for doc in registration_submitted.documents.all():
            assert reverse("staff_document_page",
                           args=[registration_submitted.code, doc.code, 1]) in html
        checks = response.context["checks"]
        assert all(c.ok for c in checks), [(c.label, c.reason) for c in checks]

    def test_it_renders_document_pages_as_images_and_audits_each_view(
            self, verifier_client, registration_submitted):
        doc = registration_submitted.documents.get(document_type__code="ktp")
        response = verifier_client.get(reverse("staff_document_page",
                                               args=[registration_submitted.code, doc.code, 1]))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert b"".join(response.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"
        assert_private_no_store(response)  # was cacheable for an hour (issue 13)
        event = AuditEvent.objects.get(action="document.page_viewed")
        assert event.details == {"page": 1} and event.object_id == str(doc.code)
        missing = reverse("staff_document_page", args=[registration_submitted.code, doc.code, 2])
        assert verifier_client.get(missing).status_code == 404

    def test_a_page_rendered_twice_at_once_is_kept_once(
            self, verifier_client, registration_submitted, private_storage, monkeypatch):
        # Two verifiers open the same page at the same moment: both find no image yet and
        # both render it. The storage keeps the second under another name, which nothing
        # reads and the retention purge never deletes: it must not stay behind.
        doc = registration_submitted.documents.get(document_type__code="ktp")
        page = reverse("staff_document_page", args=[registration_submitted.code, doc.code, 1])
        assert verifier_client.get(page).status_code == 200
        storage = review_screen.default_storage

        class Racing:  # the storage as the second request saw it, before the first saved
            def exists(self, name):
                return False

            def __getattr__(self, name):
                return getattr(storage, name)

        monkeypatch.setattr(review_screen, "default_storage", Racing())
        response = verifier_client.get(page)
        assert b"".join(response.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"
        kept = sorted(p.name for p in (private_storage / "pages" / str(doc.code)).iterdir())
        assert kept == ["1.png"]

    def test_staff_of_another_office_get_404(self, client, registration_submitted, other_office):
        outsider = make_user("v@sambas.test", Role.VERIFIER, other_office, totp=True)
        login(client, outsider)
        assert client.get(url("staff_review", registration_submitted)).status_code == 404
        assert decide(client, registration_submitted, "ktp", "accepted").status_code == 404
        doc = registration_submitted.documents.first()
        assert (
            client.get(
                reverse("staff_document_page", args=[registration_submitted.code, doc.code, 1])
            ).status_code
            == 404
        )

    def test_vendors_get_403(self, vendor_client, registration_submitted):
        assert vendor_client.get(url("staff_review", registration_submitted)).status_code == 403
        assert decide(vendor_client, registration_submitted, "ktp", "accepted").status_code == 403

    @pytest.mark.parametrize("name", ["staff_take", "staff_complete", "staff_reject",
                                      "staff_flag_field", "staff_blacklist"])
    def test_post_only_urls_refuse_get(self, verifier_client, registration_submitted, name):
        assert verifier_client.get(url(name, registration_submitted)).status_code == 405


class TestDecisions:
    def test_needs_fix_requires_a_reason(self, verifier_client, registration_submitted):
        response = decide(verifier_client, registration_submitted, "npwp", "needs_fix")
        assert response.status_code == 302
        assert not DocumentReview.objects.exists()

    def test_other_requires_a_note(self, verifier_client, registration_submitted, office):
        decide(
            verifier_client, registration_submitted, "npwp", "needs_fix", [reason(office, "other")]
        )
        assert not DocumentReview.objects.exists()

    def test_htmx_returns_the_document_card(self, verifier_client, registration_submitted, office):
        response = verifier_client.post(
            url("staff_review_document", registration_submitted, "npwp"),
            {"npwp-decision": "needs_fix", "npwp-reasons": [reason(office, "unreadable").pk]},
            HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        html = response.content.decode()
        assert html.lstrip().startswith('<section class="card document-review" id="doc-npwp"')
        assert "Perlu perbaikan" in html
        assert "HX-Request" in response["Vary"]

    def test_htmx_updates_every_panel_the_decision_changes(
            self, verifier_client, registration_submitted, office):
        """Issue 21: "Belum diputuskan" and the history follow each decision, no reload."""
        def decide_htmx(code):
            response = verifier_client.post(
                url("staff_review_document", registration_submitted, code),
                {f"{code}-decision": "accepted"}, HTTP_HX_REQUEST="true")
            assert response.status_code == 200
            html = response.content.decode()
            send = html[html.index('id="kirim-hasil" hx-swap-oob="true"'):]
            history = html[html.index('id="riwayat" hx-swap-oob="true"'):]
            return send[:send.index("</section>")], history[:history.index("</section>")]

        send, history = decide_htmx("ktp")
        assert "Belum diputuskan" in send and "NPWP" in send and "KTP" not in send
        assert "Dokumen KTP diperiksa: sesuai" in history
        decide_htmx("npwp")
        send, history = decide_htmx("nib")
        assert "Belum diputuskan" not in send
        assert "Dokumen NIB diperiksa: sesuai" in history

    def test_a_decision_is_audited(self, verifier_client, registration_submitted, office):
        decide(
            verifier_client,
            registration_submitted,
            "npwp",
            "needs_fix",
            [reason(office, "unreadable")],
            "Foto buram",
        )
        event = AuditEvent.objects.get(action="document.reviewed")
        assert event.details["decision"] == "needs_fix"
        assert event.details["reasons"] == ["unreadable"]


class TestComplete:
    def test_all_accepted_moves_to_documents_accepted(self, verifier_client, registration_submitted,
                                                      verifier, smtp_server):
        accept_all(verifier_client, registration_submitted)
        record_blacklist(verifier_client, registration_submitted)
        response = verifier_client.post(url("staff_complete", registration_submitted))
        assert response.status_code == 302
        registration_submitted.refresh_from_db()
        assert registration_submitted.status == "documents_accepted"
        assert registration_submitted.assigned_to == verifier
        assert AuditEvent.objects.filter(action="registration.accept_documents").exists()
        run_worker()
        [message] = [m for m in smtp_server.messages if "Dokumen lengkap" in m["Subject"]]
        assert message["To"] == registration_submitted.vendor.email

    def test_accepting_needs_the_blacklist_check(self, verifier_client, registration_submitted):
        accept_all(verifier_client, registration_submitted)
        verifier_client.post(url("staff_complete", registration_submitted))
        registration_submitted.refresh_from_db()
        assert registration_submitted.status == "submitted"

    def test_a_blacklisted_vendor_cannot_be_accepted(self, verifier_client, registration_submitted):
        accept_all(verifier_client, registration_submitted)
        record_blacklist(verifier_client, registration_submitted, listed="1")
        verifier_client.post(url("staff_complete", registration_submitted))
        registration_submitted.refresh_from_db()
        assert registration_submitted.status == "submitted"
        assert AuditEvent.objects.get(action="registration.blacklist_checked").details[
            "listed"] is True

    def test_notes_past_their_limit_are_refused_not_cut(
        self, verifier_client, registration_submitted
    ):
        # Issue 13: every free-text input has a maximum length and says so.
        flag = verifier_client.post(url("staff_flag_field", registration_submitted), {
            "field": "company_name", "note": "x" * 501}, follow=True)
        assert "paling banyak 500 karakter" in flag.text
        assert not FieldFlag.objects.filter(registration=registration_submitted).exists()
        listed = verifier_client.post(url("staff_blacklist", registration_submitted),
                                      {"listed": "0", "note": "x" * 301}, follow=True)
        assert "paling banyak 300 karakter" in listed.text
        registration_submitted.refresh_from_db()
        assert registration_submitted.blacklist_checked_at is None

    def test_undecided_documents_block_the_result(self, verifier_client, registration_submitted):
        decide(verifier_client, registration_submitted, "ktp", "accepted")
        verifier_client.post(url("staff_complete", registration_submitted))
        registration_submitted.refresh_from_db()
        assert registration_submitted.status == "submitted"

    def test_a_flag_sends_the_deficiency_list_to_the_vendor(
        self, verifier_client, registration_submitted, office, smtp_server
    ):
        decide(verifier_client, registration_submitted, "ktp", "accepted")
        decide(verifier_client, registration_submitted, "nib", "accepted")
        decide(verifier_client, registration_submitted, "npwp", "needs_fix",
               [reason(office, "unreadable")], "Foto NPWP buram, scan ulang")
        verifier_client.post(url("staff_flag_field", registration_submitted), {
            "field": "company_name", "note": "Tulis sesuai akta: CV Maju Jaya Abadi"})
        verifier_client.post(url("staff_complete", registration_submitted))
        registration_submitted.refresh_from_db()
        assert registration_submitted.status == "revision_requested"
        email = OutboundEmail.objects.get(template="revision_requested")
        assert "NPWP: Tidak terbaca / buram" in email.body_text
        assert "Foto NPWP buram, scan ulang" in email.body_text
        assert "CV Maju Jaya Abadi" in email.body_text
        assert "KTP" not in email.body_text.split("lengkapi")[1].split("Unggah ulang")[0]
        run_worker()
        [message] = smtp_server.messages
        assert message["To"] == registration_submitted.vendor.email

    def test_the_vendor_sees_the_same_list_on_their_home_page(
        self, verifier_client, registration_submitted, office
    ):
        accept_all(verifier_client, registration_submitted)
        decide(
            verifier_client,
            registration_submitted,
            "npwp",
            "needs_fix",
            [reason(office, "unreadable")],
            "scan ulang",
        )
        verifier_client.post(url("staff_complete", registration_submitted))
        html = login(Client(), registration_submitted.vendor).get(reverse("home")).content.decode()
        assert "Tidak terbaca / buram" in html and "scan ulang" in html

    def test_wrong_state_is_403(self, verifier_client, vendor, office):
        draft = ready_to_submit(vendor, office)
        assert verifier_client.post(url("staff_complete", draft)).status_code == 403
        assert decide(verifier_client, draft, "ktp", "accepted").status_code == 403

    def test_another_verifier_cannot_act_on_an_assigned_registration(
            self, client, registration_submitted, verifier, office):
        registration_submitted.assigned_to = verifier
        registration_submitted.save()
        colleague = make_user("rekan@lpse.test", Role.VERIFIER, office, totp=True)
        login(client, colleague)
        assert decide(client, registration_submitted, "ktp", "accepted").status_code == 403
        assert client.post(url("staff_complete", registration_submitted)).status_code == 403


class TestRevisionLoop:
    @pytest.fixture
    def registration_revision_requested(
        self, verifier_client, registration_submitted, office, verifier
    ):
        decide(verifier_client, registration_submitted, "ktp", "accepted")
        decide(verifier_client, registration_submitted, "nib", "accepted")
        decide(
            verifier_client,
            registration_submitted,
            "npwp",
            "needs_fix",
            [reason(office, "unreadable")],
        )
        verifier_client.post(url("staff_flag_field", registration_submitted),
                             {"field": "phone", "note": "Nomor tidak aktif"})
        verifier_client.post(url("staff_complete", registration_submitted))
        registration_submitted.refresh_from_db()
        assert registration_submitted.status == "revision_requested"
        return registration_submitted

    def test_only_flagged_documents_unlock(self, registration_revision_requested):
        types = {dt.code: dt for dt in registration_revision_requested.office.document_types.all()}
        assert revision.document_is_replaceable(registration_revision_requested, types["npwp"])
        assert not revision.document_is_replaceable(registration_revision_requested, types["ktp"])

    def test_only_flagged_fields_can_change(self, registration_revision_requested, client):
        login(client, registration_revision_requested.vendor)
        from tests.registrations.test_company_form import FORM

        response = client.post(url("registration_company", registration_revision_requested),
                               {**FORM, "company_name": "Nama Lain", "phone": "0813 1111 2222"})
        assert response.status_code == 302
        registration_revision_requested.refresh_from_db()
        assert registration_revision_requested.company_name == "CV Maju Jaya"
        assert registration_revision_requested.phone == "+6281311112222"

    def test_resubmit_names_what_is_still_missing(self, registration_revision_requested, client):
        login(client, registration_revision_requested.vendor)
        response = client.post(url("registration_submit", registration_revision_requested))
        assert response.status_code == 400
        assert response.context["problems"] == ["Unggah ulang dokumen: NPWP."]
        assert response.context["warnings"] == [
            "Data yang ditandai belum diubah: telepon/WhatsApp."]

    def test_resubmit_goes_back_to_the_same_verifier_with_changes_marked(
            self, registration_revision_requested, verifier, verifier_client):
        client = login(Client(), registration_revision_requested.vendor)
        add_document(registration_revision_requested, "npwp")
        registration_revision_requested.phone = "+6281311112222"
        registration_revision_requested.save()
        response = client.post(url("registration_submit", registration_revision_requested))
        assert response.status_code == 302
        registration_revision_requested.refresh_from_db()
        assert (
            registration_revision_requested.status,
            registration_revision_requested.review_round,
            registration_revision_requested.assigned_to,
        ) == ("submitted", 2, verifier)
        assert OutboundEmail.objects.filter(template="registration_resubmitted",
                                            to=[verifier.email]).exists()
        state = review.review_state(registration_revision_requested)
        npwp = registration_revision_requested.office.document_types.get(code="npwp")
        assert state.changed == {npwp.pk}
        assert [dt.code for dt in state.undecided] == ["npwp"]
        response = verifier_client.get(url("staff_review", registration_revision_requested))
        assert "Diunggah ulang sejak pemeriksaan sebelumnya" in response.content.decode()
        phone_row = next(r for r in response.context["fields"] if r["name"] == "phone")
        assert phone_row["changed"]
        # Accept the new NPWP: the earlier accepted documents carry over.
        decide(verifier_client, registration_revision_requested, "npwp", "accepted")
        record_blacklist(verifier_client, registration_revision_requested)
        verifier_client.post(url("staff_complete", registration_revision_requested))
        registration_revision_requested.refresh_from_db()
        assert registration_revision_requested.status == "documents_accepted"
        assert DocumentReview.objects.filter(registration=registration_revision_requested, round=2,
                                             decision=Decision.ACCEPTED).count() == 3
        assert not FieldFlag.objects.filter(
            registration=registration_revision_requested, round=2
        ).exists()


class TestRejectAndWithdraw:
    def test_reject_requires_a_reason(self, verifier_client, registration_submitted):
        verifier_client.post(url("staff_reject", registration_submitted), {"reason": "  "})
        registration_submitted.refresh_from_db()
        assert registration_submitted.status == "submitted"

    def test_reject_is_final_and_emails_the_reason(self, verifier_client, registration_submitted):
        verifier_client.post(
            url("staff_reject", registration_submitted), {"reason": "Dokumen palsu"}
        )
        registration_submitted.refresh_from_db()
        assert registration_submitted.status == "rejected"
        assert registration_submitted.closing_reason == "Dokumen palsu"
        assert "Dokumen palsu" in OutboundEmail.objects.get(
            template="registration_rejected").body_text
        assert verifier_client.post(url("staff_reject", registration_submitted),
                                    {"reason": "lagi"}).status_code == 403

    def test_reject_refuses_a_reason_longer_than_2000_characters(self, verifier_client,
                                                                 registration_submitted):
        # Issue 13: the whole text went into the vendor's email, whatever its size.
        response = verifier_client.post(url("staff_reject", registration_submitted),
                                        {"reason": "x" * 2001}, follow=True)
        registration_submitted.refresh_from_db()
        assert registration_submitted.status == "submitted"
        assert not OutboundEmail.objects.filter(template="registration_rejected").exists()
        assert "paling banyak 2000 karakter" in response.text

    def test_vendor_cannot_reject(self, vendor_client, registration_submitted):
        assert vendor_client.post(url("staff_reject", registration_submitted),
                                  {"reason": "x"}).status_code == 403


class TestEmailsThroughSmtp:
    def test_the_rejection_reaches_the_vendor(
        self, verifier_client, registration_submitted, smtp_server
    ):
        verifier_client.post(
            url("staff_reject", registration_submitted), {"reason": "Dokumen palsu"}
        )
        run_worker()
        # The other message is the satisfaction survey's invitation (issue 19).
        [message] = [m for m in smtp_server.messages if "ditolak" in m["Subject"]]
        assert message["To"] == registration_submitted.vendor.email
        assert "Dokumen palsu" in message.text

    def test_the_resubmission_reaches_the_same_verifier(
        self, verifier_client, registration_submitted, office, verifier, smtp_server
    ):
        accept_all(verifier_client, registration_submitted)
        decide(
            verifier_client,
            registration_submitted,
            "npwp",
            "needs_fix",
            [reason(office, "unreadable")],
        )
        verifier_client.post(url("staff_complete", registration_submitted))
        registration_submitted.refresh_from_db()
        add_document(registration_submitted, "npwp")
        login(Client(), registration_submitted.vendor).post(
            url("registration_submit", registration_submitted)
        )
        run_worker()
        to_verifier = [m for m in smtp_server.messages if m["To"] == verifier.email]
        assert len(to_verifier) == 1
        assert "diajukan kembali" in to_verifier[0]["Subject"]
        assert reverse("staff_review", args=[registration_submitted.code]) in to_verifier[0].text
