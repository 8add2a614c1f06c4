"""The demo's history (issue 19): a few hundred registrations over the past six months,
with the audit events their steps would have written, so the reports show something real.

Fast: bulk inserts (users, registrations, appointments, documents, reviews) and one
dated, hash-chained append to the audit log (``core.audit.audit_log_history``; the chain
still verifies). Idempotent: a second run finds the history and does nothing. The
history's vendors cannot log in; its documents are recorded as destroyed at the end of
their retention (no files), so no page offers a file that is not there.
"""

import random
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from verifikasi.accounts.models import Role, User
from verifikasi.core.audit import audit_log_history
from verifikasi.registrations.models import (
    Decision,
    DeficiencyReason,
    Document,
    DocumentReview,
    DocumentType,
    Registration,
)
from verifikasi.registrations.models import RegistrationStatus as S
from verifikasi.scheduling.models import Appointment, AppointmentState

EMAIL = "riwayat-{:03d}@demo.test"
EXTRA_VERIFIERS = [("dewi.verifikator@demo.test", "Dewi Verifikator"),
                   ("hendra.verifikator@demo.test", "Hendra Verifikator")]
PREFIXES = ["CV", "PT", "CV", "PT", "Koperasi", "UD"]
WORDS = ["Maju", "Jaya", "Sentosa", "Kapuas", "Borneo", "Sejahtera", "Abadi", "Mandiri",
         "Karya", "Bersama", "Ketapang", "Lestari", "Makmur", "Utama", "Pawan", "Cahaya"]


class _Story:
    """One registration's steps: (days after the start, action, who, status after)."""

    def __init__(self, rng: random.Random, start, now):
        self.rng, self.at, self.now = rng, start, now
        self.steps: list[tuple] = []
        self.status = S.DRAFT
        self.rounds: list[int] = []  # the review rounds that asked for fixes
        self.call = None  # (confirmed_at, start, state)

    def step(self, after_days: float, action: str, who: str, status=None) -> bool:
        at = self.at + timedelta(days=after_days, minutes=self.rng.randint(0, 240))
        if at >= self.now:
            return False
        source, self.at, self.status = self.status, at, status or self.status
        self.steps.append((at, action, who, source, self.status))
        return True

    def tell(self) -> None:
        rng = self.rng
        if not self.step(0, "submit", "vendor", S.SUBMITTED):
            return
        if rng.random() < 0.07:
            self.step(rng.uniform(1, 20), "withdraw", "vendor", S.WITHDRAWN)
            return
        for round_no in range(1, 4):  # the document review, fixes at most three times
            if rng.random() < (0.45 if round_no == 1 else 0.25):
                if not self.step(rng.uniform(0.2, 3), "request_revision", "verifier",
                                 S.REVISION_REQUESTED):
                    return
                self.rounds.append(round_no)
                if not self.step(rng.uniform(0.5, 7), "resubmit", "vendor", S.SUBMITTED):
                    return
                continue
            break
        if rng.random() < 0.05:
            self.step(rng.uniform(0.2, 3), "reject", "verifier", S.REJECTED)
            return
        if not self.step(rng.uniform(0.2, 3), "accept_documents", "verifier",
                         S.DOCUMENTS_ACCEPTED):
            return
        for _attempt in range(3):  # booking; a reschedule or a no-show books again
            if not self.step(rng.uniform(0.1, 2), "confirm_schedule", "verifier",
                             S.SCHEDULED):
                return
            confirmed, lead = self.at, rng.choice([1, 2, 2, 3, 3, 4, 5, 7, 9, 14])
            call_at = confirmed.replace(hour=2 + rng.randint(0, 5), minute=0) + \
                timedelta(days=lead)
            if call_at >= self.now:  # the history ends before any call to come
                self.steps.pop()
                self.at, self.status = self.steps[-1][0], S.DOCUMENTS_ACCEPTED
                return
            self.call = (confirmed, call_at, AppointmentState.CONFIRMED)
            fate = rng.random()
            if fate < 0.08:
                if not self.step(rng.uniform(0.1, lead), "reschedule", "vendor",
                                 S.DOCUMENTS_ACCEPTED):
                    return
                self.call = None
                continue
            self.at = call_at
            if fate < 0.13:
                self.step(0.05, "record_no_show", "verifier", S.DOCUMENTS_ACCEPTED)
                self.call = None
                continue
            self.call = (confirmed, call_at, AppointmentState.HELD)
            if fate < 0.2:
                self.step(0.05, "record_not_yet", "verifier", S.DOCUMENTS_ACCEPTED)
                continue
            break
        else:
            return
        if not self.step(0.05, "record_pass", "verifier", S.VERIFIED):
            return
        if not self.step(rng.uniform(0.2, 3), "issue_certificate", "system",
                         S.CERTIFICATE_SENT):
            return
        self.step(rng.uniform(0.2, 6), "confirm_receipt", "vendor", S.COMPLETED)


def _verifiers(office) -> list[User]:
    team = list(User.objects.filter(office=office, is_active=True,
                                    role__in=(Role.VERIFIER, Role.COORDINATOR)))
    for email, name in EXTRA_VERIFIERS:
        if not User.objects.filter(email=email).exists():
            team.append(User.objects.create_user(email, None, role=Role.VERIFIER,
                                                 office=office, full_name=name))
    return team


def _company(rng: random.Random, i: int) -> str:
    return f"{rng.choice(PREFIXES)} {rng.choice(WORDS)} {rng.choice(WORDS)} {i:03d}"


def demo_history(*, office, count: int = 300, days: int = 180, now=None, seed: int = 19) -> int:
    """Write ``count`` historical registrations of ``office`` (once); returns how many."""
    if User.objects.filter(email=EMAIL.format(1)).exists():
        return 0
    now, rng = now or timezone.now(), random.Random(seed)
    with transaction.atomic():
        team = _verifiers(office)
        unusable = make_password(None)
        vendors = User.objects.bulk_create([
            User(email=EMAIL.format(i), password=unusable, role=Role.VENDOR,
                 full_name=f"Pemilik {i:03d}") for i in range(1, count + 1)])
        stories = []
        for i in range(count):
            # More of them recently (the office got busier); the last a day ago.
            story = _Story(rng, now - timedelta(days=1 + days * (1 - (i / count) ** 1.3)), now)
            story.tell()
            stories.append(story)
        registrations = Registration.objects.bulk_create([
            Registration(office=office, vendor=vendor, status=story.status,
                         status_changed_at=story.at, submitted_at=story.steps[0][0],
                         assigned_to=rng.choice(team), company_name=_company(rng, i),
                         business_form="cv", review_round=len(story.rounds) + 1,
                         call_held_on=story.call[1].date() if story.call and
                         story.call[2] == AppointmentState.HELD else None)
            for i, (vendor, story) in enumerate(zip(vendors, stories, strict=True))])
        for registration, story in zip(registrations, stories, strict=True):
            Registration.objects.filter(pk=registration.pk).update(
                created_at=story.steps[0][0] - timedelta(hours=rng.randint(1, 72)))
        _appointments(office, registrations, stories)
        _reviews(office, registrations, stories, rng)
        entries = []
        for registration, story in zip(registrations, stories, strict=True):
            who = {"vendor": registration.vendor, "verifier": registration.assigned_to,
                   "system": None}
            for at, action, actor, source, target in story.steps:
                entries.append({"at": at, "action": f"registration.{action}",
                                "actor": who[actor], "office": office, "obj": registration,
                                "details": {"from": source, "to": target}})
        entries.sort(key=lambda entry: entry["at"])
        audit_log_history(entries)
    return count


def _appointments(office, registrations, stories) -> None:
    Appointment.objects.bulk_create([
        Appointment(registration=r, office=office, state=s.call[2], start=s.call[1],
                    end=s.call[1] + timedelta(minutes=30), confirmed_at=s.call[0],
                    confirmed_by=r.assigned_to)
        for r, s in zip(registrations, stories, strict=True) if s.call])


def _reviews(office, registrations, stories, rng: random.Random) -> None:
    """Each round that asked for fixes: one or two documents, each with a reason or two."""
    types = list(DocumentType.objects.filter(office=office, active=True)[:3])
    reasons = list(DeficiencyReason.objects.filter(office=office, active=True))
    if not types or not reasons:
        return
    now = timezone.now()
    planned = []
    for registration, story in zip(registrations, stories, strict=True):
        asked = [step[0] for step in story.steps if step[1] == "request_revision"]
        for round_no, at in zip(story.rounds, asked, strict=True):
            for doc_type in rng.sample(types, rng.choice([1, 1, 2])):
                planned.append((registration, round_no, doc_type, at,
                                rng.sample(reasons[:6], rng.choice([1, 1, 2]))))
    documents = Document.objects.bulk_create([
        Document(registration=r, document_type=t, version=n, sha256="0" * 64, size=0,
                 page_count=1, uploaded_by=r.vendor, check_state="accepted", purged_at=now)
        for r, n, t, _, _ in planned])
    reviews = DocumentReview.objects.bulk_create([
        DocumentReview(registration=r, round=n, document_type=t, document=d,
                       decision=Decision.NEEDS_FIX, reviewer=r.assigned_to,
                       note="Riwayat demo")
        for (r, n, t, _, _), d in zip(planned, documents, strict=True)])
    through = DocumentReview.reasons.through
    through.objects.bulk_create([
        through(documentreview_id=review.pk, deficiencyreason_id=reason.pk)
        for review, (_, _, _, _, chosen) in zip(reviews, planned, strict=True)
        for reason in chosen])
    for review, (_, _, _, at, _) in zip(reviews, planned, strict=True):
        DocumentReview.objects.filter(pk=review.pk).update(decided_at=at)
