"""manage.py create_signing_certificate: the office's self-signed PKCS#12."""

import datetime
import io
import os
import stat

import pytest
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.management import call_command
from django.core.management.base import CommandError


def run(*args):
    out = io.StringIO()
    call_command("create_signing_certificate", *args, stdout=out)
    return out.getvalue()


def load(path, password=None):
    return pkcs12.load_key_and_certificates(path.read_bytes(), password)


def test_it_names_the_office_and_is_valid_for_five_years(settings, tmp_path, office):
    path = tmp_path / "kunci" / "signing.p12"
    settings.CERTIFICATE_P12_PATH = str(path)

    run()

    key, cert, _chain = load(path)
    assert key is not None
    subject = cert.subject
    assert subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == office.name
    assert subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == office.name
    assert subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value == "ID"
    assert cert.issuer == cert.subject  # self-signed: its own trust root
    lifetime = cert.not_valid_after_utc - cert.not_valid_before_utc
    assert datetime.timedelta(days=5 * 365) < lifetime < datetime.timedelta(days=5 * 366 + 1)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_it_refuses_to_overwrite_without_force(tmp_path):
    path = tmp_path / "signing.p12"
    run("--name", "LPSE Uji", "--path", str(path))
    before = path.read_bytes()

    with pytest.raises(CommandError, match="--force"):
        run("--name", "LPSE Uji", "--path", str(path))
    assert path.read_bytes() == before

    assert "exists" in run("--name", "LPSE Uji", "--path", str(path), "--if-missing")
    assert path.read_bytes() == before

    run("--name", "LPSE Uji", "--path", str(path), "--force")
    assert path.read_bytes() != before


def test_it_encrypts_the_key_with_the_configured_password(settings, tmp_path):
    settings.CERTIFICATE_P12_PASSWORD = "rahasia"
    path = tmp_path / "signing.p12"
    run("--name", "LPSE Uji", "--path", str(path))

    with pytest.raises(ValueError):
        load(path)
    assert load(path, b"rahasia")[0] is not None


def test_it_needs_a_known_office_without_name(tmp_path, db):
    with pytest.raises(CommandError, match="office"):
        run("--office", "tidak-ada", "--path", str(tmp_path / "x.p12"))
