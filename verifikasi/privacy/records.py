"""The person's records as plain data: the ``data.json`` of their copy (Pasal 7).

Their own data is written in full (identity numbers included); what identifies other
people (staff names, e-mail addresses, IP addresses of staff) is left out: an audit
event says which role acted, not who.
"""

from django.utils import timezone

from verifikasi.core.event_text import describe

from .holdings import Holdings

AUDIT_LIMIT = 5000
EMAIL_LIMIT = 2000

REGISTRATION_FIELDS = [
    "status", "created_at", "submitted_at", "status_changed_at", "business_form",
    "company_name", "npwp", "npwp_display", "nib", "address", "province", "regency",
    "postal_code", "phone", "email", "director_name", "director_nik", "represented",
    "representative_name", "representative_nik", "has_akta_pendirian", "has_akta_perubahan",
    "spse_user_id", "closing_reason", "call_held_on", "spse_approved_at",
    "consent_version", "consent_at", "consent_ip",
]


def _pick(obj, names) -> dict:
    return {name: getattr(obj, name) for name in names}


def _audit_row(event, user) -> dict:
    return {
        "when": event.created_at,
        "what": describe(event.action, event.details),
        "action": event.action,
        "by": "you" if event.actor_id == user.pk else (event.actor_role or "system"),
        "object_type": event.object_type,
        "object_id": event.object_id,
        "ip": event.ip if event.actor_id == user.pk else None,
    }


def _whatsapp(contact) -> dict | None:
    if contact is None:
        return None
    return {"phone": contact.phone, "opted_in": contact.opted_in,
            "opted_in_at": contact.opted_in_at, "opted_out_at": contact.opted_out_at}


def subject_records(holdings: Holdings, *, emails, audit) -> dict:
    user = holdings.user
    regs = {r.pk: r for r in holdings.registrations}
    return {
        "generated_at": timezone.now(),
        "account": {"email": user.email, "full_name": user.full_name,
                    "date_joined": user.date_joined, "last_login": user.last_login,
                    "whatsapp": _whatsapp(holdings.whatsapp)},
        "registrations": [
            {"code": str(r.code), "office": r.office.name,
             **_pick(r, REGISTRATION_FIELDS),
             "correction_flags": [
                 {"field": f.field, "note": f.note, "value_at_review": f.value_at_review,
                  "round": f.round, "created_at": f.created_at}
                 for f in holdings.flags if f.registration_id == r.pk]}
            for r in holdings.registrations
        ],
        "consents": [
            {"registration": str(r.code), "notice_version": r.consent_version,
             "given_at": r.consent_at, "ip": r.consent_ip}
            for r in holdings.registrations if r.consent_at
        ],
        "documents": [
            {"code": str(d.code), "registration": str(regs[d.registration_id].code),
             "type": d.document_type.name, "version": d.version, "uploaded_at": d.uploaded_at,
             "original_name": d.original_name, "pages": d.page_count, "size": d.size,
             "sha256": d.sha256, "original_sha256": d.original_sha256,
             "destroyed_at": d.purged_at}
            for d in holdings.documents
        ],
        "appointments": [
            {"registration": str(regs[a.registration_id].code), "state": a.state,
             "start": a.start, "end": a.end, "confirmed_at": a.confirmed_at}
            for a in holdings.appointments
        ],
        "verification_calls": [
            {"registration": str(regs[c.registration_id].code), "outcome": c.outcome,
             "attendee": c.attendee, "attendee_name": c.attendee_name,
             "started_at": c.started_at, "ended_at": c.ended_at, "notes": c.notes}
            for c in holdings.calls
        ],
        "recordings": [
            {"code": str(r.code), "registration": str(r.registration.code),
             "recorded_start": r.recorded_start, "duration_seconds": r.duration_seconds,
             "size": r.size, "sha256": r.sha256, "delete_after": r.delete_after,
             "file_in_zip": "", "note": "Rekaman tidak disertakan; lihat panduan."}
            for r in holdings.recordings
        ],
        "certificates": [
            {"id": str(c.id), "number": c.number, "issued_at": c.issued_at,
             "company_name": c.company_name, "npwp": c.npwp_display, "nib": c.nib,
             "person_verified": c.person_verified, "call_date": c.call_date,
             "revoked_at": c.revoked_at, "revoke_reason_category": c.revoke_reason_category,
             "receipt_confirmed_at": c.receipt_confirmed_at, "sha256": c.sha256}
            for c in holdings.certificates
        ],
        "emails": [
            {"created_at": e.created_at, "sent_at": e.sent_at, "status": e.status,
             "subject": e.subject,
             "body": "" if e.confidential or e.body_deleted_at else e.body_text}
            for e in emails[:EMAIL_LIMIT]
        ],
        "data_requests": [
            {"code": str(r.code), "kind": r.kind, "received_at": r.received_at,
             "deadline": r.deadline, "field": r.field, "details": r.details,
             "decision": r.decision, "reason": r.reason, "decided_at": r.decided_at,
             "letter": r.letter_text}
            for r in holdings.requests
        ],
        "audit": [_audit_row(e, user) for e in audit[:AUDIT_LIMIT]],
    }
