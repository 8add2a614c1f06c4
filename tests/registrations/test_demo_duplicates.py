"""The demo seed shows the duplicate card (issue 20): two companies, one NPWP."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.conftest import login, make_user
from verifikasi.accounts.models import Role
from verifikasi.registrations.demo_duplicates import NEW, NPWP, OLD
from verifikasi.registrations.models import Registration


@pytest.mark.usefixtures("upload_temp_dir")
def test_the_demo_seed_shows_a_duplicate_npwp_on_the_review_screen(settings, office, client):
    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())  # idempotent, as scripts/demo reruns it

    old, new = (Registration.objects.get(npwp=NPWP, company_name=c["company_name"])
                for c in (OLD, NEW))
    assert (old.status, new.status) == ("rejected", "submitted")
    assert Registration.objects.filter(npwp=NPWP).count() == 2
    assert new.documents.filter(check_state="accepted").count() == 3

    verifier = make_user("lain@lpse.test", Role.VERIFIER, office, totp=True)
    html = login(client, verifier).get(reverse("staff_review", args=[new.code])).content.decode()
    card = html[html.index('id="duplikat"'):html.index('id="daftar-hitam"')]
    assert reverse("staff_review", args=[old.code]) in card
    assert "NPWP yang sama dipakai dengan nama perusahaan lain (di kantor ini: CV Sinar Abadi)" \
        in card
    assert "Perusahaan ini pernah ditolak: LPSE Kabupaten Ketapang" in card
