"""One office's rows of every model /admin shows, for the office-boundary sweep.

Every text an office's rows carry includes its ``tag`` (a made-up word no page
otherwise contains), so a page that shows any of another office's rows is caught by
searching for that word. A model registered in /admin without an entry here makes
the sweep fail: add its rows below.
"""

import datetime

from django.contrib.auth.models import Group
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.conftest import make_user
from tests.registrations.factories import make_registration
from verifikasi.accounts.models import Role
from verifikasi.certificates.models import Certificate, CertificateSequence, CertificateSettings
from verifikasi.core.audit import audit_log
from verifikasi.core.models import RetentionRun, WorkerHeartbeat
from verifikasi.meetings.models import Meeting, MeetingSettings, Provider, Recording
from verifikasi.notifications.models import OutboundEmail
from verifikasi.notifications.tasks import email_deliver
from verifikasi.offices.models import Office
from verifikasi.registrations.defaults import office_setup_defaults
from verifikasi.registrations.models import DeficiencyReason, DocumentType
from verifikasi.scheduling.models import (
    Appointment,
    AppointmentOption,
    Availability,
    Closure,
    SlotBooking,
)
from verifikasi.whatsapp.models import WhatsAppMessage, WhatsAppSettings


def make_office(tag: str) -> Office:
    office = Office.objects.create(
        code=f"lpse-{tag}", name=f"LPSE Kabupaten {tag}", short_name=f"LPSE {tag}",
        letterhead=f"PEMERINTAH KABUPATEN {tag.upper()}", reply_to_email=f"lpse@{tag}.test",
        spse_url=f"https://lpse.{tag}.test/")
    office_setup_defaults(office)
    return office


def office_world(office: Office, tag: str) -> dict:
    """Rows of ``office`` for every model registered in /admin: {model: [rows]}."""
    tasks_before = set(DBTaskResult.objects.values_list("pk", flat=True))
    admin = make_user(f"admin@{tag}.test", Role.ADMIN, office, totp=True, is_staff=True,
                      full_name=f"Admin {tag}")
    verifier = make_user(f"verifikator@{tag}.test", Role.VERIFIER, office, totp=True,
                         full_name=f"Verifikator {tag}")
    # Vendors belong to no office: another office's admin must not see them either.
    vendor = make_user(f"direktur@{tag}.test", full_name=f"Direktur {tag}")
    registration = make_registration(vendor, office, company_name=f"PT {tag} Abadi",
                                     status="scheduled", assigned_to=verifier)
    now = timezone.now().replace(microsecond=0)
    start = now + datetime.timedelta(days=3)
    end = start + datetime.timedelta(minutes=30)

    appointment = Appointment.objects.create(
        registration=registration, office=office, state="confirmed", start=start, end=end,
        last_reason=f"Alasan {tag}")
    AppointmentOption.objects.create(appointment=appointment, kind="proposed", start=start,
                                     end=end, created_by=vendor)
    meeting = Meeting.objects.create(
        office=office, registration=registration, provider=Provider.MANUAL, state="created",
        join_url=f"https://meet.{tag}.test/room", start_at=start, duration_minutes=30,
        topic=f"Verifikasi PT {tag} Abadi", created_by=verifier)
    email = OutboundEmail.objects.create(
        office=office, template="test", from_email="noreply@verifikasi.test",
        to=[f"direktur@{tag}.test"], subject=f"Surat untuk {tag}", body_text=f"Isi {tag}")
    email_deliver.enqueue(email.pk)
    certificate = Certificate.objects.create(
        registration=registration, office=office, number=f"{tag.upper()}/1/2026", year=2026,
        seq=1, issued_at=now, issued_by=verifier, company_name=f"PT {tag} Abadi",
        npwp_display="01.300.066.6-091.000", nib="9120001234567",
        person_verified=f"Direktur {tag}", person_role="Direktur",
        call_date=now.date(), verifier_name=f"Verifikator {tag}", documents=["KTP"],
        file=f"certificates/{tag}.pdf", sha256="a" * 64)
    return {
        Office: [office],
        type(admin): [admin, verifier, vendor],
        Group: [Group.objects.create(name=f"Grup {tag}")],
        WorkerHeartbeat: [WorkerHeartbeat.objects.create(
            worker_id=f"worker-{tag}", hostname=f"host-{tag}", pid=1, started_at=now,
            last_seen=now)],
        RetentionRun: [RetentionRun.objects.create(  # one per world: days are unique
            day=datetime.date(2000, 1, 1) + datetime.timedelta(RetentionRun.objects.count()),
            queued_at=now, totals={"outbox_body": 1})],
        DBTaskResult: list(DBTaskResult.objects.exclude(pk__in=tasks_before)),
        _model("account", "EmailAddress"): list(
            _model("account", "EmailAddress").objects.filter(user__in=[admin, verifier, vendor])),
        _model("mfa", "Authenticator"): list(
            _model("mfa", "Authenticator").objects.filter(user__in=[admin, verifier])),
        _model("core", "AuditEvent"): [audit_log(
            action=f"test.{tag}", actor=verifier, office=office, obj=registration,
            details={"note": tag})],
        OutboundEmail: [email],
        DocumentType: [DocumentType.objects.create(
            office=office, code=f"dok_{tag}", name=f"Dokumen {tag}", condition="always",
            order=99)],
        DeficiencyReason: [DeficiencyReason.objects.create(
            office=office, code=f"alasan_{tag}", label=f"Alasan {tag}", order=99)],
        Availability: [Availability.objects.update_or_create(
            office=office, defaults={"updated_by": admin})[0]],
        Closure: [Closure.objects.create(
            office=office, start_date=now.date(), end_date=now.date(), note=f"Tutup {tag}",
            created_by=admin)],
        Appointment: [appointment],
        SlotBooking: [SlotBooking.objects.create(
            office=office, start=start, end=end, seat_no=0, capacity=1,
            appointment=appointment)],
        MeetingSettings: [MeetingSettings.objects.update_or_create(
            office=office, defaults={"provider": Provider.JITSI,
                                     "jitsi_domain": f"meet.{tag}.test"})[0]],
        Meeting: [meeting],
        Recording: [Recording.objects.create(
            meeting=meeting, registration=registration, source="upload",
            file=f"recordings/{tag}.mp4", sha256="b" * 64, size=1000,
            content_type="video/mp4", original_name=f"rekaman-{tag}.mp4",
            uploaded_by=verifier, delete_after=now.date() + datetime.timedelta(days=30))],
        CertificateSettings: [CertificateSettings.objects.update_or_create(
            office=office, defaults={"signer_name": f"Kepala {tag}"})[0]],
        Certificate: [certificate],
        CertificateSequence: [CertificateSequence.objects.update_or_create(
            office=office, year=2026, defaults={"last_value": 1})[0]],
        WhatsAppSettings: [WhatsAppSettings.objects.update_or_create(
            office=office, defaults={"phone_number_id": f"pn-{tag}",
                                     "verify_token": f"token-{tag}"})[0]],
        WhatsAppMessage: [WhatsAppMessage.objects.create(
            office=office, user=vendor, email=email, key="revision_requested",
            to="+6281234567890", template_name=f"template_{tag}",
            parameters=[f"Direktur {tag}"], last_error=f"Galat {tag}")],
    }


def _model(app_label: str, name: str):
    from django.apps import apps

    return apps.get_model(app_label, name)
