"""The vendor home kept by its inputs (core.pagememo): across the vendor's whole journey the
kept page is the fresh render, byte for byte (each its own CSRF token); it is kept at all
(no state reads data outside its key); it is never another person's page; a change to the
data, the language, the minute's countdown or a waiting message is another page."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import login, make_user
from tests.core.test_prepared import make_certificate, make_meeting
from tests.registrations.factories import add_all_documents, give_consent, make_registration
from tests.registrations.test_review import decide, reason, url
from tests.scheduling.factories import propose, schedule, wib
from verifikasi.core import pagememo
from verifikasi.meetings.models import MeetingState
from verifikasi.registrations.models import Registration
from verifikasi.registrations.models import RegistrationStatus as S
from verifikasi.scheduling import services as scheduling
from verifikasi.survey.models import SurveyInvitation

WIB = ZoneInfo("Asia/Pontianak")
NOW = wib(2026, 12, 7, 9, 0)  # Monday; the first free slot is Tuesday 08:00
THU_13 = wib(2026, 12, 10, 13, 0)
TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[A-Za-z0-9]+')


@pytest.fixture
def clock(db):
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def tokens_out(html: str) -> str:
    return TOKEN.sub(r"\1TOKEN", html)


def get(client):
    response = client.get(reverse("vendor_home"))
    assert response.status_code == 200
    return response


def kept_equals_fresh(client, settings) -> str:
    """A miss, then a hit (no template rendered), then a fresh render with memos off."""
    caches["local"].clear()
    first = get(client)
    assert first.templates, "the first view renders"
    kept = get(client)
    assert not kept.templates, "the second view is the kept page (no query in the render)"
    settings.PERSONAL_PAGE_MEMO_SECONDS = 0
    fresh = get(client)
    settings.PERSONAL_PAGE_MEMO_SECONDS = 300
    assert fresh.templates
    kept_html, fresh_html = kept.content.decode(), fresh.content.decode()
    assert PLACEHOLDER_GONE(kept_html)
    assert tokens_out(kept_html) == tokens_out(fresh_html) == tokens_out(
        first.content.decode())
    assert TOKEN.search(kept_html)
    return fresh_html


def PLACEHOLDER_GONE(html):  # noqa: N802 - reads as the assertion it is
    return pagememo.PLACEHOLDER not in html


def a_vendor(n, office, **fields):
    vendor = make_user(f"vendor{n}@memo.test", full_name=f"Vendor Memo {n}")
    registration = None
    if fields:
        registration = make_registration(vendor, office, npwp=f"{880000000000000 + n:016d}",
                                         company_name=f"CV Memo {n}", **fields)
    return vendor, registration, login(Client(), vendor)


def test_the_kept_page_is_the_fresh_page_in_every_state(clock, office, verifier, settings):
    staff = login(Client(), verifier)
    states = {}

    vendor, _, client = a_vendor(1, office)
    states["none"] = kept_equals_fresh(client, settings)

    vendor, registration, client = a_vendor(2, office, status=S.DRAFT)
    states["draft"] = kept_equals_fresh(client, settings)
    add_all_documents(registration)
    give_consent(registration)
    propose(registration, THU_13)
    states["draft_ready"] = kept_equals_fresh(client, settings)

    vendor, registration, client = a_vendor(3, office, status=S.SUBMITTED, review_round=1)
    add_all_documents(registration)
    propose(registration, THU_13)
    states["submitted"] = kept_equals_fresh(client, settings)
    for code in ("ktp", "nib"):
        decide(staff, registration, code, "accepted")
    decide(staff, registration, "npwp", "needs_fix", [reason(office, "unreadable")])
    staff.post(url("staff_complete", registration))
    registration.refresh_from_db()
    assert registration.status == S.REVISION_REQUESTED
    states["revision"] = kept_equals_fresh(client, settings)

    vendor, registration, client = a_vendor(4, office, status=S.DOCUMENTS_ACCEPTED)
    add_all_documents(registration)
    states["accepted"] = kept_equals_fresh(client, settings)
    propose(registration, THU_13)
    states["accepted_proposed"] = kept_equals_fresh(client, settings)
    scheduling.appointment_offer(registration=registration, actor=verifier,
                                 starts=[wib(2026, 12, 10, 14, 0)])
    states["offered"] = kept_equals_fresh(client, settings)

    vendor, registration, client = a_vendor(5, office, status=S.DOCUMENTS_ACCEPTED,
                                            assigned_to=verifier)
    add_all_documents(registration)
    schedule(registration, THU_13, verifier)
    registration.refresh_from_db()
    assert registration.status == S.SCHEDULED
    states["scheduled"] = kept_equals_fresh(client, settings)
    make_meeting(registration, state=MeetingState.CREATED, hours=100)
    states["scheduled_link"] = kept_equals_fresh(client, settings)
    assert "Undangan video call" in states["scheduled_link"]

    for n, status in enumerate((S.VERIFIED, S.CERTIFICATE_SENT, S.COMPLETED, S.WITHDRAWN,
                                S.REJECTED, S.LAPSED), start=6):
        vendor, registration, client = a_vendor(
            n, office, status=status, closing_reason="Dokumen palsu",
            revision_deadline=datetime.date(2026, 12, 4))
        add_all_documents(registration)
        if status in (S.CERTIFICATE_SENT, S.COMPLETED):
            make_certificate(registration, verifier, days=n)
        if status == S.COMPLETED:
            SurveyInvitation.objects.create(office=office, registration=registration,
                                            token=f"memo{n}", created_at=timezone.now())
        states[status] = kept_equals_fresh(client, settings)
    assert "Tanda lulus verifikasi nomor" in states[S.CERTIFICATE_SENT]
    assert "Isi survei kepuasan" in states[S.COMPLETED]
    assert "Pendaftaran ditolak" in states[S.REJECTED]
    assert len(set(states.values())) == len(states)  # every state its own page


def test_never_another_persons_page(clock, office):
    _, first, one = a_vendor(1, office, status=S.DRAFT)
    _, second, two = a_vendor(2, office, status=S.DRAFT)
    Registration.objects.filter(pk=second.pk).update(company_name=first.company_name)
    page_one, page_two = get(one).content.decode(), get(two).content.decode()
    assert get(two).templates == []  # kept, under its own key
    assert "Vendor Memo 1" not in page_two and "Vendor Memo 2" not in page_one


def test_changed_data_language_or_minute_is_another_page(clock, office, verifier, settings):
    vendor, registration, client = a_vendor(1, office, status=S.DOCUMENTS_ACCEPTED,
                                            assigned_to=verifier)
    add_all_documents(registration)
    schedule(registration, THU_13, verifier)
    before = get(client).content.decode()
    assert get(client).templates == []
    clock.move_to(NOW + datetime.timedelta(hours=1))
    later = get(client)
    assert later.templates, "the countdown changed: a fresh render"
    assert "3 hari 3 jam lagi" in later.content.decode() and "3 hari 4 jam lagi" in before
    Registration.objects.filter(pk=registration.pk).update(company_name="CV Nama Baru")
    renamed = get(client)
    assert renamed.templates and "CV Nama Baru" in renamed.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = get(client)
    assert english.templates and 'lang="en"' in english.content.decode()


def test_a_query_string_or_memos_off_is_a_plain_render(clock, office, settings):
    _, registration, client = a_vendor(1, office, status=S.DRAFT)
    get(client)
    assert get(client).templates == []
    assert client.get(reverse("vendor_home") + "?x=1").templates
    settings.PERSONAL_PAGE_MEMO_SECONDS = 0
    assert get(client).templates


def test_a_waiting_message_is_part_of_the_key_and_shown_once(clock, office):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.test import RequestFactory

    _, registration, client = a_vendor(1, office, status=S.DRAFT)
    get(client)
    storage = CookieStorage(RequestFactory().get("/"))
    cookie = storage._encode([Message(constants.INFO, "Pesan uji memo")])
    client.cookies[storage.cookie_name] = cookie
    with_message = get(client)
    assert "Pesan uji memo" in with_message.content.decode()
    assert with_message.templates  # another page than the one kept without it
    assert not with_message.cookies[storage.cookie_name].value  # shown: the cookie goes
    after = get(client)
    assert after.templates == [] and "Pesan uji memo" not in after.content.decode()
    client.cookies[storage.cookie_name] = cookie  # the same message again: kept, and shown
    again = get(client)
    assert again.templates == [] and not again.cookies[storage.cookie_name].value
    assert tokens_out(again.content.decode()) == tokens_out(with_message.content.decode())
    client.cookies[storage.cookie_name] = storage._encode(
        [Message(constants.WARNING, "Pesan lain")])
    other = get(client)
    assert other.templates and "Pesan lain" in other.content.decode()


def test_the_fingerprint_sees_every_value_and_refuses_what_it_cannot_see(vendor, office):
    from verifikasi.core.pagememo import Unfingerprintable, fingerprint

    registration = make_registration(vendor, office)
    base = fingerprint({"registration": registration})
    assert fingerprint({"registration": registration}) == base
    registration.company_name += " "
    assert fingerprint({"registration": registration}) != base
    registration.office.phone = "0"  # a related row it carries counts too
    changed = fingerprint({"registration": registration})
    registration.office.phone = "1"
    assert fingerprint({"registration": registration}) != changed
    assert fingerprint([1]) != fingerprint(["1"]) != fingerprint([True])
    assert fingerprint({"a": None}) != fingerprint({"a": ""})
    assert fingerprint([datetime.date(2026, 1, 1)]) != fingerprint(
        [datetime.datetime(2026, 1, 1)])
    with pytest.raises(Unfingerprintable):
        fingerprint({"x": object()})
