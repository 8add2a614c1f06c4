"""Issue 21: no English string on an Indonesian page.

Django 6.1 added strings its Indonesian catalogue does not have yet ("- Select an
option -" on every select of a model field with choices), and Django's own
catalogue says "sandi" where allauth says "kata sandi". Our catalogue in
verifikasi/locale/id fills both gaps; the first test finds new gaps after an upgrade.
"""

import re
from pathlib import Path

import django
import polib
import pytest
from allauth import __file__ as allauth_file
from django.urls import reverse
from django.utils import translation

from tests.registrations.factories import make_registration

DJANGO = Path(django.__file__).parent
CATALOGUES = [DJANGO / "conf" / "locale", DJANGO / "contrib" / "auth" / "locale",
              DJANGO / "contrib" / "admin" / "locale", Path(allauth_file).parent / "locale"]
OURS = Path(__file__).resolve().parents[2] / "verifikasi" / "locale" / "id" / "LC_MESSAGES"
LONE_SANDI = re.compile(r"(?<![Kk]ata )\b[Ss]andi\b")


def test_every_string_the_libraries_leave_untranslated_is_translated_by_us():
    ours = {e.msgid for e in polib.pofile(str(OURS / "django.po")) if e.translated()}
    gaps = []
    for root in CATALOGUES:
        english = polib.pofile(str(root / "en" / "LC_MESSAGES" / "django.po"))
        indonesian = {e.msgid for e in polib.pofile(str(root / "id" / "LC_MESSAGES" / "django.po"))
                      if e.translated()}
        gaps += [e.msgid for e in english
                 if not e.obsolete and e.msgid not in indonesian and e.msgid not in ours]
    assert not gaps, f"add Indonesian for {gaps} to verifikasi/locale/id/LC_MESSAGES/django.po"


def test_the_blank_choice_and_the_password_words_are_indonesian():
    say = translation.gettext  # (not a literal gettext call: makemessages scans tests too)
    with translation.override("id"):
        assert say("- Select an option -") == "- Pilih salah satu -"
        assert say("Password") == "Kata sandi"
        assert say("Password confirmation") == "Konfirmasi kata sandi"


@pytest.mark.django_db
def test_the_company_form_has_no_english_blank_choice(vendor_client, vendor, office):
    registration = make_registration(vendor, office, complete=False)
    page = vendor_client.get(reverse("registration_company", args=[registration.code]),
                             HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "<select" in page
    assert "Select an option" not in page


@pytest.mark.django_db
def test_the_sign_up_page_says_kata_sandi_throughout(client):
    page = client.get(reverse("account_signup"), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "ata sandi" in page
    assert not LONE_SANDI.search(page), LONE_SANDI.search(page)
