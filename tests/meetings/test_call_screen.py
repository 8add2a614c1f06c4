"""The verifier's call screen (C.4, C.5) and what confirming a time does to the meeting
(C.3 invitation): pass, not yet, no-show, manual links, Jitsi and Zoom."""

import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.conftest import login, make_user, run_worker
from tests.registrations.factories import add_all_documents
from tests.scheduling.factories import accepted, propose, wib
from verifikasi.accounts.models import Role
from verifikasi.core.models import AuditEvent
from verifikasi.meetings.models import (
    CallOutcome,
    Meeting,
    MeetingSettings,
    MeetingState,
    Provider,
    VerificationCall,
)
from verifikasi.notifications.models import OutboundEmail
from verifikasi.registrations import revision
from verifikasi.registrations.models import DocumentReview
from verifikasi.scheduling.models import Appointment, AppointmentState
from verifikasi.scheduling.services import appointment_confirm

NOW = wib(2026, 12, 7, 9, 0)
SLOT = wib(2026, 12, 8, 8, 0)
DURING_CALL = wib(2026, 12, 8, 8, 10)


@pytest.fixture
def clock(db):
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def jitsi(office):
    return MeetingSettings.objects.create(office=office, provider=Provider.JITSI,
                                          jitsi_domain="meet.example.go.id")


@pytest.fixture
def registration_scheduled(clock, jitsi, vendor, office, verifier):
    registration_documents_accepted = accepted(vendor, office, assigned_to=verifier)
    add_all_documents(registration_documents_accepted)
    propose(registration_documents_accepted, SLOT)
    appointment_confirm(registration=registration_documents_accepted, actor=verifier, start=SLOT)
    registration_documents_accepted.refresh_from_db()
    assert registration_documents_accepted.status == "scheduled"
    return registration_documents_accepted


def outcome_url(registration_documents_accepted):
    return reverse("call_outcome", args=[registration_documents_accepted.code])


def call_form(outcome, *, npwp="ya", **extra):
    data = {"outcome": outcome, "attendee": "director", "attendee_name": "Budi Santoso",
            "started": "08:02", "ended": "08:25", "doc-ktp": "ya", "doc-npwp": npwp,
            "doc-nib": "ya", "notes": ""}
    data.update(extra)
    return data


class TestConfirmingMakesTheMeeting:
    def test_jitsi_link_is_ready_and_the_vendor_is_invited(self, registration_scheduled):
        meeting = Meeting.objects.get(registration=registration_scheduled)
        assert meeting.state == MeetingState.CREATED
        assert meeting.join_url.startswith("https://meet.example.go.id/")
        invitation = OutboundEmail.objects.get(template="meeting_invitation")
        assert meeting.join_url in invitation.body_text
        assert "08.00–08.30 WIB" in invitation.body_text
        for name in ["KTP", "NPWP", "NIB"]:
            assert name in invitation.body_text
        assert "direkam" in invitation.body_text
        assert "zoom.us/download" not in invitation.body_text

    def test_the_vendor_home_shows_the_link_once_and_says_where_it_is(
            self, registration_scheduled, vendor):
        """Issue 21: not "the link will be sent by email" beside the link itself."""
        meeting = Meeting.objects.get(registration=registration_scheduled)
        html = login(Client(), vendor).get(reverse("home")).content.decode()
        assert meeting.join_url in html
        assert "ada pada “Undangan video call” di atas" in html
        assert "akan tampil di halaman ini" not in html

    def test_the_calendar_invite_carries_the_link(self, registration_scheduled):
        confirmed = OutboundEmail.objects.get(template="appointment_confirmed")
        from django.core.files.storage import default_storage

        ics = default_storage.open(confirmed.attachments[0]["path"]).read().decode()
        meeting = Meeting.objects.get(registration=registration_scheduled)
        assert meeting.join_url in ics.replace("\r\n ", "")

    def test_the_vendor_home_shows_the_link_and_what_to_prepare(self, registration_scheduled):
        html = login(Client(), registration_scheduled.vendor).get(reverse("home")).content.decode()
        meeting = Meeting.objects.get(registration=registration_scheduled)
        assert meeting.join_url in html
        assert "direkam" in html

    def test_a_manual_office_gets_a_meeting_waiting_for_its_link(self, clock, vendor, office,
                                                                 verifier, verifier_client):
        registration_documents_accepted = accepted(vendor, office, assigned_to=verifier)
        propose(registration_documents_accepted, SLOT)
        appointment_confirm(
            registration=registration_documents_accepted, actor=verifier, start=SLOT
        )
        meeting = Meeting.objects.get(registration=registration_documents_accepted)
        assert (meeting.provider, meeting.state, meeting.join_url) == ("manual", "pending", "")
        assert not OutboundEmail.objects.filter(template="meeting_invitation").exists()
        url = reverse("call_link", args=[registration_documents_accepted.code])
        verifier_client.post(url, {"meeting": meeting.code, "url": "http://tidak-aman.test/x"})
        meeting.refresh_from_db()
        assert meeting.join_url == ""
        verifier_client.post(url, {"meeting": meeting.code,
                                   "url": "https://meet.google.com/abc-defg-hij"})
        meeting.refresh_from_db()
        assert (meeting.state, meeting.join_url) == ("created",
                                                    "https://meet.google.com/abc-defg-hij")
        invitation = OutboundEmail.objects.get(template="meeting_invitation")
        assert "https://meet.google.com/abc-defg-hij" in invitation.body_text

    def test_a_zoom_office_creates_the_meeting_in_the_worker(self, clock, vendor, office,
                                                             verifier, fake_zoom):
        from tests.fakes.zoom import ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET

        MeetingSettings.objects.create(office=office, provider=Provider.ZOOM,
                                       zoom_account_id=ACCOUNT_ID, zoom_client_id=CLIENT_ID,
                                       zoom_client_secret=CLIENT_SECRET)
        registration_documents_accepted = accepted(vendor, office, assigned_to=verifier)
        propose(registration_documents_accepted, SLOT)
        appointment_confirm(
            registration=registration_documents_accepted, actor=verifier, start=SLOT
        )
        meeting = Meeting.objects.get(registration=registration_documents_accepted)
        assert meeting.state == MeetingState.PENDING
        run_worker()
        meeting.refresh_from_db()
        assert meeting.state == MeetingState.CREATED and meeting.external_id
        invitation = OutboundEmail.objects.get(template="meeting_invitation")
        assert meeting.join_url in invitation.body_text
        assert "zoom.us/download" in invitation.body_text

    def test_a_rescheduled_call_keeps_its_meeting_and_link(
        self, registration_scheduled, clock, verifier
    ):
        from verifikasi.scheduling.services import appointment_reschedule

        meeting = Meeting.objects.get(registration=registration_scheduled)
        link = meeting.join_url
        appointment_reschedule(
            registration=registration_scheduled, actor=verifier, reason="Verifikator sakit"
        )
        meeting.refresh_from_db()
        assert meeting.state == MeetingState.CREATED  # kept for the next confirmed time
        later = wib(2026, 12, 9, 9, 0)
        propose(registration_scheduled, later)
        appointment_confirm(registration=registration_scheduled, actor=verifier, start=later)
        meeting.refresh_from_db()
        assert (meeting.start_at, meeting.join_url, meeting.sequence) == (later, link, 1)
        assert Meeting.objects.filter(registration=registration_scheduled).count() == 1
        assert OutboundEmail.objects.filter(template="meeting_invitation").count() == 2

    def test_a_rescheduled_zoom_meeting_is_patched_not_recreated(
            self, clock, vendor, office, verifier, fake_zoom):
        from tests.fakes.zoom import ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET
        from verifikasi.scheduling.services import appointment_reschedule

        MeetingSettings.objects.create(office=office, provider=Provider.ZOOM,
                                       zoom_account_id=ACCOUNT_ID, zoom_client_id=CLIENT_ID,
                                       zoom_client_secret=CLIENT_SECRET)
        registration_documents_accepted = accepted(vendor, office, assigned_to=verifier)
        propose(registration_documents_accepted, SLOT)
        appointment_confirm(
            registration=registration_documents_accepted, actor=verifier, start=SLOT
        )
        run_worker()
        appointment_reschedule(
            registration=registration_documents_accepted, actor=verifier, reason="Bentrok"
        )
        later = wib(2026, 12, 9, 9, 0)
        propose(registration_documents_accepted, later)
        appointment_confirm(
            registration=registration_documents_accepted, actor=verifier, start=later
        )
        run_worker()
        meeting = Meeting.objects.get(registration=registration_documents_accepted)
        assert len(fake_zoom.calls("POST", "/v2/users/")) == 1
        [patch] = fake_zoom.calls("PATCH", f"/v2/meetings/{meeting.external_id}")
        assert patch.json["start_time"] == "2026-12-09T02:00:00Z"
        assert not fake_zoom.calls("DELETE")

    def test_closing_the_registration_calls_off_the_meeting(self, registration_scheduled, verifier):
        from verifikasi.registrations.review import registration_reject

        registration_reject(
            registration=registration_scheduled, actor=verifier, reason="Dokumen palsu"
        )
        assert (
            Meeting.objects.get(registration=registration_scheduled).state == MeetingState.CANCELLED
        )


class TestCallScreen:
    def test_it_shows_the_link_each_document_and_the_outcome_buttons(self, registration_scheduled,
                                                                     verifier_client):
        response = verifier_client.get(reverse("call_screen", args=[registration_scheduled.code]))
        html = response.content.decode()
        assert Meeting.objects.get(registration=registration_scheduled).join_url in html
        for code in ["ktp", "npwp", "nib"]:
            assert f'name="doc-{code}"' in html
        for outcome in CallOutcome.values:
            assert f'value="{outcome}"' in html

    def test_staff_of_another_office_get_404_and_vendors_403(
        self, registration_scheduled, other_office, client
    ):
        outsider = make_user("v@sambas.test", Role.VERIFIER, other_office, totp=True)
        login(client, outsider)
        assert (
            client.get(reverse("call_screen", args=[registration_scheduled.code])).status_code
            == 404
        )
        assert (
            client.post(outcome_url(registration_scheduled), call_form("pass")).status_code == 404
        )
        login(client, registration_scheduled.vendor)
        assert (
            client.post(outcome_url(registration_scheduled), call_form("pass")).status_code == 403
        )

    def test_outcome_is_post_only(self, registration_scheduled, verifier_client):
        assert verifier_client.get(outcome_url(registration_scheduled)).status_code == 405

    def test_pass_moves_to_verified_with_the_call_date(
        self, registration_scheduled, verifier_client, clock
    ):
        clock.move_to(DURING_CALL)
        response = verifier_client.post(outcome_url(registration_scheduled), call_form("pass"))
        assert response.status_code == 302
        registration_scheduled.refresh_from_db()
        assert registration_scheduled.status == "verified"
        assert str(registration_scheduled.call_held_on) == "2026-12-08"
        call = VerificationCall.objects.get(registration=registration_scheduled)
        assert (call.outcome, call.attendee_name) == ("pass", "Budi Santoso")
        assert call.checks.filter(matches=True).count() == 3
        assert AuditEvent.objects.filter(action="registration.record_pass").exists()

    @pytest.mark.parametrize("outcome", ["pass", "not_yet", "no_show"])
    def test_no_outcome_before_the_call_has_started(
        self, registration_scheduled, verifier_client, outcome
    ):
        """A pass recorded days before the call would certify a call that never happened."""
        response = verifier_client.post(outcome_url(registration_scheduled), call_form(outcome),
                                        follow=True)
        registration_scheduled.refresh_from_db()
        assert registration_scheduled.status == "scheduled"
        assert not VerificationCall.objects.exists()
        assert "setelah waktu video call dimulai" in response.content.decode()
        assert "8 Desember 2026" in response.content.decode()

    def test_the_call_start_cannot_be_in_the_future(
        self, registration_scheduled, verifier_client, clock
    ):
        clock.move_to(DURING_CALL)
        verifier_client.post(outcome_url(registration_scheduled), call_form("pass", started="08:30",
                                                               ended="08:50"))
        registration_scheduled.refresh_from_db()
        assert registration_scheduled.status == "scheduled"
        assert not VerificationCall.objects.exists()

    def test_pass_is_refused_when_an_original_does_not_match(
        self, registration_scheduled, verifier_client, clock
    ):
        clock.move_to(DURING_CALL)
        verifier_client.post(outcome_url(registration_scheduled), call_form("pass", npwp="tidak"))
        registration_scheduled.refresh_from_db()
        assert registration_scheduled.status == "scheduled"
        assert not VerificationCall.objects.exists()
        html = verifier_client.get(
            reverse("call_screen", args=[registration_scheduled.code])
        ).content
        assert "dokumen asli tidak sesuai — NPWP" in html.decode()

    def test_the_attendees_name_is_one_line(self, registration_scheduled, verifier_client, clock):
        # Issue 13: no line break or direction control in a name.
        clock.move_to(DURING_CALL)
        verifier_client.post(outcome_url(registration_scheduled),
                             call_form("pass", attendee_name="Budi \u202eotnaS"))
        registration_scheduled.refresh_from_db()
        assert registration_scheduled.status == "scheduled"
        assert not VerificationCall.objects.exists()
        html = verifier_client.get(
            reverse("call_screen", args=[registration_scheduled.code])
        ).content
        assert "karakter tersembunyi" in html.decode()

    @pytest.mark.parametrize("outcome, field, limit", [
        ("not_yet", "notes", 2000), ("no_show", "notes", 2000), ("not_yet", "note-npwp", 500),
        ("pass", "attendee_name", 150),
    ])
    def test_notes_and_names_past_their_limit_are_refused(
        self, registration_scheduled, verifier_client, clock, outcome, field, limit
    ):
        # Issue 13: the notes go into the vendor's email and the document review; they
        # were cut to 2,000 characters silently (the document notes not at all).
        clock.move_to(DURING_CALL)
        verifier_client.post(outcome_url(registration_scheduled),
                             call_form(outcome, npwp="tidak", **{field: "x" * (limit + 1)}))
        registration_scheduled.refresh_from_db()
        assert registration_scheduled.status == "scheduled"
        assert not VerificationCall.objects.exists()
        html = verifier_client.get(
            reverse("call_screen", args=[registration_scheduled.code])
        ).content
        assert f"paling banyak {limit} karakter" in html.decode()

    def test_pass_is_refused_when_a_document_was_not_checked(
        self, registration_scheduled, verifier_client, clock
    ):
        clock.move_to(DURING_CALL)
        data = call_form("pass")
        del data["doc-nib"]
        verifier_client.post(outcome_url(registration_scheduled), data)
        registration_scheduled.refresh_from_db()
        assert registration_scheduled.status == "scheduled"

    def test_a_representative_must_show_the_surat_kuasa(
        self, registration_scheduled, verifier_client, clock
    ):
        clock.move_to(DURING_CALL)
        registration_scheduled.represented = True
        registration_scheduled.representative_name = "Andi Kuasa"
        registration_scheduled.representative_nik = "6104014505950002"
        registration_scheduled.save()
        add_all_documents(registration_scheduled)  # Surat Kuasa and KTP Penerima Kuasa now apply
        data = call_form("pass", attendee="representative", attendee_name="Andi Kuasa",
                         **{"doc-surat_kuasa": "ya", "doc-ktp_penerima_kuasa": "ya"})
        verifier_client.post(outcome_url(registration_scheduled), data)
        registration_scheduled.refresh_from_db()
        assert registration_scheduled.status == "scheduled"
        data["power_of_attorney_shown"] = "1"
        verifier_client.post(outcome_url(registration_scheduled), data)
        registration_scheduled.refresh_from_db()
        assert registration_scheduled.status == "verified"

    def test_not_yet_sends_the_mismatch_back_and_unlocks_only_that_document(
            self, registration_scheduled, verifier_client, clock):
        clock.move_to(DURING_CALL)
        verifier_client.post(outcome_url(registration_scheduled), call_form(
            "not_yet", npwp="tidak", **{"note-npwp": "Nomor pada NPWP asli berbeda"}))
        registration_scheduled.refresh_from_db()
        assert (registration_scheduled.status, registration_scheduled.review_round) == (
            "revision_requested",
            1,
        )
        npwp = registration_scheduled.office.document_types.get(code="npwp")
        ktp = registration_scheduled.office.document_types.get(code="ktp")
        assert revision.document_is_replaceable(registration_scheduled, npwp)
        assert not revision.document_is_replaceable(registration_scheduled, ktp)
        flagged = DocumentReview.objects.get(registration=registration_scheduled, round=1)
        assert flagged.note == "Nomor pada NPWP asli berbeda"
        email = OutboundEmail.objects.get(template="call_not_yet")
        assert "Nomor pada NPWP asli berbeda" in email.body_text
        # Issue 20: back with the vendor, with a deadline in working days.
        assert registration_scheduled.revision_deadline
        assert "Batas waktu perbaikan" in email.body_text
        appointment = Appointment.objects.get(registration=registration_scheduled)
        assert appointment.state == AppointmentState.NEEDS_PROPOSAL
        assert (
            Meeting.objects.get(registration=registration_scheduled).state == MeetingState.CANCELLED
        )

    def test_not_yet_without_a_mismatch_goes_back_to_scheduling(self, registration_scheduled,
                                                                verifier_client, clock):
        clock.move_to(DURING_CALL)
        response = verifier_client.post(outcome_url(registration_scheduled), call_form("not_yet"))
        registration_scheduled.refresh_from_db()
        assert registration_scheduled.status == "scheduled"  # a reason is needed
        assert response.status_code == 302
        verifier_client.post(outcome_url(registration_scheduled), call_form(
            "not_yet", notes="Koneksi terputus, kamera tidak jelas"))
        registration_scheduled.refresh_from_db()
        assert registration_scheduled.status == "documents_accepted"
        email = OutboundEmail.objects.get(template="call_not_yet")
        assert "Koneksi terputus" in email.body_text
        assert "dijadwalkan kembali" in email.body_text

    def test_no_show_is_recorded_after_the_start_and_asks_for_new_times(
            self, registration_scheduled, verifier_client, clock):
        verifier_client.post(outcome_url(registration_scheduled), {"outcome": "no_show"})
        registration_scheduled.refresh_from_db()
        assert registration_scheduled.status == "scheduled"  # not before the call's start
        clock.move_to(DURING_CALL)
        verifier_client.post(outcome_url(registration_scheduled), {"outcome": "no_show",
                                                      "notes": "Tidak bergabung"})
        registration_scheduled.refresh_from_db()
        assert registration_scheduled.status == "documents_accepted"
        assert (
            VerificationCall.objects.get(registration=registration_scheduled).outcome == "no_show"
        )
        assert (
            Meeting.objects.get(registration=registration_scheduled).state == MeetingState.CANCELLED
        )

    def test_the_recording_is_uploaded_from_the_call_screen(
        self, registration_scheduled, verifier_client
    ):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from tests.meetings import mp4_bytes

        meeting = Meeting.objects.get(registration=registration_scheduled)
        upload = SimpleUploadedFile("rekaman.mp4", mp4_bytes(seconds=60),
                                    content_type="video/mp4")
        response = verifier_client.post(
            reverse("call_recording_upload", args=[registration_scheduled.code]),
            {"meeting": meeting.code, "recording": upload})
        assert response.status_code == 302
        assert meeting.recordings.count() == 1
        page = verifier_client.get(
            reverse("call_screen", args=[registration_scheduled.code])
        ).content
        code = meeting.recordings.get().code
        assert re.search(str(code), page.decode())


def test_the_screen_says_when_an_outcome_becomes_possible(
    registration_scheduled, verifier_client, clock
):
    page = verifier_client.get(
        reverse("call_screen", args=[registration_scheduled.code])
    ).content.decode()
    assert 'id="belum-dimulai"' in page
    assert "setelah waktu video call dimulai" in page
    clock.move_to(DURING_CALL)
    page = verifier_client.get(
        reverse("call_screen", args=[registration_scheduled.code])
    ).content.decode()
    assert 'id="belum-dimulai"' not in page
