from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import make_user
from verifikasi.accounts.models import Role
from verifikasi.incidents.services import incident_record

FACTS = {
    "title": "Email berisi lampiran KTP terkirim ke alamat yang salah",
    "affected_data": ["identity", "documents"],
    "affected_count": 12,
    "description": "Verifikator mengirim rekap berisi pindaian KTP ke alamat di luar kantor.",
    "measures": "Penerima diminta menghapus email; akses rekap dicabut; tim dilatih ulang.",
}


def facts(**changes):
    now = timezone.now()
    return {"occurred_at": now - timedelta(hours=30), "discovered_at": now - timedelta(hours=2),
            **FACTS, **changes}


@pytest.fixture
def incident(office, coordinator):
    return incident_record(office=office, actor=coordinator, data=facts())


@pytest.fixture
def other_incident(other_office):
    head = make_user("ketua@sambas.test", Role.COORDINATOR, other_office, totp=True,
                     full_name="Ketua Sambas")
    return incident_record(office=other_office, actor=head, data=facts(title="Insiden Sambas"))
