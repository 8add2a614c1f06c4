"""Writing the breach register: every step one transaction with its audit event."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from verifikasi.core.audit import audit_log
from verifikasi.notifications.services import email_queue

from .audience import notice_recipients
from .models import Incident, IncidentRecipient
from .notices import DEFAULT_AUTHORITY, authority_notice_draft, people_notice_draft

FACTS = ["title", "occurred_at", "discovered_at", "affected_data", "affected_count",
         "description", "measures"]

ERR_ALREADY_SENT = _("Pemberitahuan kepada subjek data sudah dikirim pada %(when)s; "
                     "pemberitahuan tidak dikirim dua kali.")
ERR_NO_RECIPIENTS = _("Tidak ada penerima: pilih kelompok Pelaku Usaha atau tulis alamat "
                      "email penerima.")


def incident_record(*, office, actor, data: dict, request=None) -> Incident:
    """Record a breach at ``office``; the notices are drafted from it at once."""
    with transaction.atomic():
        incident = Incident(office=office, recorded_by=actor,
                            **{name: data[name] for name in FACTS})
        incident.full_clean()
        incident.save()
        incident.people_subject, incident.people_body = people_notice_draft(incident)
        incident.authority_name = DEFAULT_AUTHORITY
        incident.authority_body = authority_notice_draft(incident)
        incident.save(update_fields=["people_subject", "people_body", "authority_name",
                                     "authority_body"])
        audit_log(action="incident.recorded", actor=actor, office=office, obj=incident,
                  request=request, details=_facts(incident))
    return incident


def _facts(incident) -> dict:
    return {"title": incident.title, "occurred_at": incident.occurred_at,
            "discovered_at": incident.discovered_at, "affected_data": incident.affected_data,
            "affected_count": incident.affected_count}


def incident_update(*, incident: Incident, actor, data: dict, request=None) -> list[str]:
    """Correct the facts; returns the names of the fields that changed (audited)."""
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        changed = [name for name in FACTS if getattr(incident, name) != data[name]]
        for name in changed:
            setattr(incident, name, data[name])
        incident.full_clean()
        incident.save()
        if changed:
            audit_log(action="incident.updated", actor=actor, office=incident.office,
                      obj=incident, request=request, details={"changed": changed})
    return changed


def incident_draft_people(*, incident: Incident, actor, subject: str, body: str,
                          request=None) -> bool:
    """Keep the edited draft of the people's notice; False once it was sent."""
    with transaction.atomic():
        saved = Incident.objects.filter(pk=incident.pk, people_sent_at__isnull=True).update(
            people_subject=subject, people_body=body)
        if saved:
            audit_log(action="incident.people_notice_saved", actor=actor,
                      office=incident.office, obj=incident, request=request,
                      details={"subject": subject})
    return bool(saved)


def incident_notify_people(*, incident: Incident, actor, subject: str, body: str,
                           audiences: list[str], extra: list[str] = (),
                           request=None) -> int:
    """Email the notice to each affected person through the outbox, once; returns the count.

    The people are those of the chosen groups (``audiences``) and the single addresses
    staff added (``extra``). One message per person (no one sees the others'
    addresses), each recorded with its outbox row; the incident's people notice is
    then closed.
    """
    recipients = notice_recipients(incident.office, audiences, extra)
    if not recipients:
        raise ValidationError(ERR_NO_RECIPIENTS)
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        if incident.people_sent_at is not None:
            raise ValidationError(ERR_ALREADY_SENT, params={
                "when": date_format(timezone.localtime(incident.people_sent_at),
                                    "SHORT_DATETIME_FORMAT")})
        for email, user in recipients:
            outbound = email_queue(template="incident_notice", to=email, office=incident.office,
                                   context={"subject": subject, "body": body})
            IncidentRecipient.objects.create(incident=incident, email=email, user=user,
                                             outbound_email=outbound)
        incident.people_subject, incident.people_body = subject, body
        incident.people_sent_at, incident.people_sent_by = timezone.now(), actor
        incident.save(update_fields=["people_subject", "people_body", "people_sent_at",
                                     "people_sent_by"])
        audit_log(action="incident.people_notified", actor=actor, office=incident.office,
                  obj=incident, request=request,
                  details={"recipients": len(recipients), "audiences": audiences,
                           "subject": subject})
    return len(recipients)


def incident_authority_save(*, incident: Incident, actor, authority_name: str, body: str,
                            request=None) -> None:
    """Keep the edited letter to the authority."""
    with transaction.atomic():
        Incident.objects.filter(pk=incident.pk).update(authority_name=authority_name,
                                                       authority_body=body)
        audit_log(action="incident.authority_notice_saved", actor=actor,
                  office=incident.office, obj=incident, request=request,
                  details={"authority": authority_name})


def incident_authority_sent(*, incident: Incident, actor, sent_on, reference: str,
                            request=None) -> None:
    """Record the day the letter went to the authority, and its number or proof of sending."""
    with transaction.atomic():
        Incident.objects.filter(pk=incident.pk).update(
            authority_sent_on=sent_on, authority_reference=reference,
            authority_recorded_by=actor)
        audit_log(action="incident.authority_notified", actor=actor, office=incident.office,
                  obj=incident, request=request,
                  details={"sent_on": sent_on, "reference": reference})
