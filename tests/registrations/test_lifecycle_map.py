"""The lifecycle map, walked: every (state, action, role) against the rules of the procedure.

``RULES`` is the procedure written out by hand (DESIGN: the registration
lifecycle, plus the trust rules): for each action, the states it may start
from, who may do it and whether a staff member must be the assigned verifier
(or the head of the team). The map in ``registrations.workflow`` must say
exactly that, and ``require``/``transition`` must act on it: refused pairs
raise the Indonesian 403 and change nothing.
"""

import subprocess
import sys

import pytest

from tests.conftest import make_user
from tests.registrations.factories import make_registration
from verifikasi.accounts.models import Role
from verifikasi.core.models import AuditEvent
from verifikasi.registrations import workflow
from verifikasi.registrations.models import Registration
from verifikasi.registrations.models import RegistrationStatus as S

ALL = set(S.values)
OPEN = ALL - {S.COMPLETED, S.WITHDRAWN, S.REJECTED, S.LAPSED}
V, VER, HEAD, ADMIN, SYS = "vendor", "verifier", "coordinator", "admin", "system"
STAFF = {VER, HEAD}

# action: (from-states, who, staff must be assigned)
RULES = {
    "update_company": ({S.DRAFT, S.REVISION_REQUESTED}, {V}, False),
    "give_consent": ({S.DRAFT}, {V}, False),
    "upload_document": ({S.DRAFT, S.REVISION_REQUESTED}, {V}, False),
    "propose_dates": ({S.DRAFT, S.SUBMITTED, S.REVISION_REQUESTED, S.DOCUMENTS_ACCEPTED}, {V},
                      False),
    "submit": ({S.DRAFT}, {V}, False),
    "take": (OPEN, STAFF, False),
    "assign": (OPEN, {HEAD}, False),
    "review_document": ({S.SUBMITTED}, STAFF, True),
    "request_revision": ({S.SUBMITTED}, STAFF, True),
    "resubmit": ({S.REVISION_REQUESTED}, {V}, False),
    "accept_documents": ({S.SUBMITTED}, STAFF, True),
    "offer_other_date": ({S.DOCUMENTS_ACCEPTED}, STAFF, False),
    "confirm_schedule": ({S.DOCUMENTS_ACCEPTED}, STAFF, False),
    "accept_offer": ({S.DOCUMENTS_ACCEPTED}, {V}, False),
    "reschedule": ({S.SCHEDULED}, STAFF | {V}, False),
    "record_no_show": ({S.SCHEDULED}, STAFF, True),
    "record_not_yet": ({S.SCHEDULED}, STAFF, True),
    "record_pass": ({S.SCHEDULED}, STAFF, True),
    "record_spse_approval": ({S.VERIFIED}, STAFF, True),
    "countersign": ({S.VERIFIED}, {HEAD}, False),
    "issue_certificate": ({S.VERIFIED}, STAFF | {SYS}, False),
    "reissue_certificate": ({S.CERTIFICATE_SENT, S.COMPLETED}, {HEAD}, False),
    "revoke_certificate": ({S.CERTIFICATE_SENT, S.COMPLETED}, {HEAD, ADMIN}, False),
    "confirm_receipt": ({S.CERTIFICATE_SENT}, {V, HEAD}, False),
    # Trust: once the certificate is out the vendor cannot withdraw it away.
    "withdraw": (OPEN - {S.CERTIFICATE_SENT}, {V}, False),
    # Trust: only the assigned verifier or the head rejects (with the certificate revoked).
    "reject": (OPEN, STAFF, True),
    # UU PDP Pasal 6: before a call is booked, a correction goes back to the vendor's form.
    "reopen_for_correction": ({S.SUBMITTED, S.REVISION_REQUESTED, S.DOCUMENTS_ACCEPTED}, STAFF,
                              False),
    # Issue 20: the verifier handling it extends the deficiency deadline (once); the
    # system lets a registration lapse when the deadline passed without a resubmission.
    "extend_deadline": ({S.REVISION_REQUESTED}, STAFF, True),
    "lapse": ({S.REVISION_REQUESTED}, {SYS}, False),
}

# Who acts: role, and how they stand to the registration.
ACTORS = ["owner", "other_vendor", "assigned_verifier", "other_verifier",
          "verifier_of_other_office", "coordinator", "admin", "system"]


@pytest.fixture
def people(office, other_office, vendor, other_vendor):
    return {
        "owner": vendor,
        "other_vendor": other_vendor,
        "assigned_verifier": make_user("ver-a@lpse.test", Role.VERIFIER, office),
        "other_verifier": make_user("ver-b@lpse.test", Role.VERIFIER, office),
        "verifier_of_other_office": make_user("ver-x@lpse.test", Role.VERIFIER, other_office),
        "coordinator": make_user("head@lpse.test", Role.COORDINATOR, office),
        "admin": make_user("admin@lpse.test", Role.ADMIN, office),
        "system": None,
    }


def expected(action: str, status: str, actor: str) -> bool:
    sources, who, assigned = RULES[action]
    role = {"owner": V, "other_vendor": None, "assigned_verifier": VER, "other_verifier": VER,
            "verifier_of_other_office": None, "coordinator": HEAD, "admin": ADMIN,
            "system": SYS}[actor]
    if role not in who or status not in sources:
        return False
    return not (assigned and actor == "other_verifier")


def test_the_map_has_exactly_the_actions_of_the_procedure():
    assert set(workflow.ACTIONS) == set(RULES)
    for name, (sources, who, assigned) in RULES.items():
        action = workflow.ACTIONS[name]
        assert set(action.sources) == sources, name
        assert set(action.roles) == who, name
        assert action.assigned == assigned, name


@pytest.mark.parametrize("status", sorted(ALL))
def test_every_state_action_and_role_is_decided_by_the_map(status, people, office):
    registration = make_registration(people["owner"], office)
    Registration.objects.filter(pk=registration.pk).update(
        status=status, assigned_to=people["assigned_verifier"])
    registration.refresh_from_db()
    for action in RULES:
        for actor in ACTORS:
            allowed = expected(action, status, actor)
            assert workflow.can(registration, action, people[actor]) is allowed, \
                (action, status, actor)
            if not allowed:
                with pytest.raises(workflow.WorkflowError) as refused:
                    workflow.require(action, registration, people[actor])
                assert str(refused.value.message)  # an Indonesian sentence, never empty


@pytest.mark.parametrize("action", sorted(workflow.TRANSITIONS))
def test_a_refused_transition_changes_nothing(action, people, office):
    """Every status-changing action, tried by everyone in every state it may not run in."""
    registration = make_registration(people["owner"], office)
    events = AuditEvent.objects.count()
    for status in sorted(ALL):
        Registration.objects.filter(pk=registration.pk).update(
            status=status, assigned_to=people["assigned_verifier"])
        registration.refresh_from_db()
        for actor in ACTORS:
            if expected(action, status, actor):
                continue
            with pytest.raises(workflow.WorkflowError):
                workflow.transition(registration, action, actor=people[actor])
            assert Registration.objects.get(pk=registration.pk).status == status
    assert AuditEvent.objects.count() == events


def test_unassigned_registrations_are_open_to_every_verifier_of_the_office(people, office):
    registration = make_registration(people["owner"], office)
    Registration.objects.filter(pk=registration.pk).update(status=S.SUBMITTED)
    registration.refresh_from_db()
    assert workflow.can(registration, "review_document", people["other_verifier"])


def test_the_head_acts_on_a_registration_assigned_to_someone_else(people, office):
    registration = make_registration(people["owner"], office)
    Registration.objects.filter(pk=registration.pk).update(
        status=S.CERTIFICATE_SENT, assigned_to=people["assigned_verifier"])
    registration.refresh_from_db()
    assert workflow.can(registration, "reject", people["coordinator"])
    assert not workflow.can(registration, "reject", people["other_verifier"])
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.require("reject", registration, people["other_verifier"])
    assert refused.value.message == workflow.ERR_NOT_ASSIGNED


def test_withdrawing_after_the_certificate_says_why(people, office):
    registration = make_registration(people["owner"], office)
    Registration.objects.filter(pk=registration.pk).update(status=S.CERTIFICATE_SENT)
    registration.refresh_from_db()
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.require("withdraw", registration, people["owner"])
    assert refused.value.message == workflow.ERR_WITHDRAW_CERTIFIED


def test_a_fresh_process_registers_every_condition_and_effect():
    """The steps register into the map in AppConfig.ready: a worker or a management command
    gets the same effects as the web process (``manage.py lifecycle`` shows them)."""
    out = subprocess.run([sys.executable, "manage.py", "lifecycle"], capture_output=True,
                         text=True, check=True).stdout
    for registered in [
        "registrations.services.submit_conditions", "scheduling.services.dates_proposed",
        "registrations.review.review_decided", "scheduling.closing.appointment_release",
        "scheduling.lifecycle.call_has_started", "meetings.call.call_not_yet_recorded",
        "certificates.outcome.certificate_deliver", "certificates.outcome.certificate_receipt_mark",
        "meetings.lifecycle.meeting_for_confirmed_time", "meetings.lifecycle.meeting_called_off",
    ]:
        assert registered in out, registered


def test_docs_architecture_shows_the_map_as_it_is():
    from pathlib import Path

    from verifikasi.front.management.commands.lifecycle import doc_with_lifecycle

    text = Path("docs/architecture.md").read_text()
    assert doc_with_lifecycle(text) == text, \
        "run: python manage.py lifecycle --update-doc docs/architecture.md"
