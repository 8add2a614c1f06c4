"""Issue 21: histories speak the reader's language — a sentence per audit event, never its code."""

import re
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import translation

from tests.registrations.factories import make_registration
from verifikasi.core.event_text import describe, known
from verifikasi.registrations import workflow
from verifikasi.registrations.models import RegistrationStatus
from verifikasi.registrations.review import registration_take
from verifikasi.scheduling.lifecycle import APPOINTMENT_ACTIONS

SOURCE = Path(__file__).resolve().parents[2] / "verifikasi"
# An audit code written out in the source: action="x.y", or a map's "appointment.proposed".
CODE = re.compile(r"""["']((?:registration|appointment|document|meeting|recording|certificate|"""
                  r"""email|scheduling|staff|audit|privacy|incident|retention)\.[a-z_]+)["']""")


def written_codes() -> set[str]:
    codes = set()
    for path in SOURCE.rglob("*.py"):
        # The email catalog names template variables ("appointment.start"), not events.
        if "migrations" in path.parts or path.name == "message_catalog.py":
            continue
        codes |= set(CODE.findall(path.read_text(encoding="utf-8")))
    return codes


def test_every_lifecycle_action_has_a_sentence():
    missing = [f"registration.{name}" for name in workflow.ACTIONS
               if not known(f"registration.{name}")]
    missing += [m.audit for m in APPOINTMENT_ACTIONS.values() if not known(m.audit)]
    assert not missing, f"no sentence for {missing} (add it to the app's events.py)"


def test_every_audit_code_in_the_source_has_a_sentence():
    models = {m._meta.label_lower for m in django_apps.get_models()}  # object types, not events
    codes = written_codes() - models
    assert "document.reviewed" in codes and "appointment.reminder_sent" in codes
    missing = sorted(c for c in codes if not known(c))
    assert not missing, f"no sentence for {missing} (add it to the app's events.py)"


def test_sentences_follow_the_language_and_use_the_details(office):
    with translation.override("id"):
        assert describe("registration.submit") == "Pendaftaran diajukan untuk diperiksa"
        assert describe("registration.field_flagged", {"field": "npwp"}) == (
            "Isian “NPWP” ditandai salah")
        assert describe("no.such_code") == "Catatan sistem lainnya"
    with translation.override("en"):
        assert describe("registration.submit") == "Registration submitted for review"


@pytest.mark.django_db
def test_the_review_page_history_shows_sentences_not_codes(verifier_client, verifier, vendor,
                                                            office):
    registration = make_registration(vendor, office, status=RegistrationStatus.SUBMITTED)
    registration_take(registration=registration, actor=verifier)

    page = verifier_client.get(reverse("staff_review", args=[registration.code]),
                               HTTP_ACCEPT_LANGUAGE="id").content.decode()

    history = page[page.index('id="riwayat"'):]
    assert "Pendaftaran diambil verifikator untuk diperiksa" in history
    assert verifier.email in history
    assert not CODE.search(history.replace("&quot;", '"')), "a raw event code is shown"
    assert "registration.take" not in history
