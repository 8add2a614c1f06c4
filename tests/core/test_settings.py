"""Settings come from the environment and refuse bad values (issue: foundation)."""

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from verifikasi.core.env import (
    ImproperlyConfigured,
    database_from_url,
    envbool,
    envint,
    envlist,
    envstr,
)

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "Zk4-q" * 12


def load_settings(env: dict, *args: str) -> subprocess.CompletedProcess:
    """Import the settings (or run manage.py args) in a clean process with only ``env``."""
    base = {"PATH": os.environ["PATH"], "DATA_DIR": os.environ["DATA_DIR"]}
    cmd = [sys.executable, "manage.py", *args] if args else [
        sys.executable, "-c", "import verifikasi.settings as s; print('LOADED', s.DEBUG)"]
    return subprocess.run(cmd, cwd=ROOT, env={**base, **env}, capture_output=True, text=True,
                          timeout=120)


def test_every_s3_call_has_timeouts_and_retries_with_backoff():
    code = ("import django; django.setup()\n"
            "from django.core.files.storage import default_storage as s\n"
            "c = s.connection.meta.client.meta.config\n"
            "print(type(s._wrapped).__name__, c.connect_timeout, c.read_timeout, c.retries)")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={"PATH": os.environ["PATH"], "DATA_DIR": os.environ["DATA_DIR"], "DEBUG": "1",
             "DJANGO_SETTINGS_MODULE": "verifikasi.settings", "STORAGE_BACKEND": "s3",
             "S3_BUCKET": "verifikasi", "S3_REGION": "ap-southeast-3",
             "S3_ENDPOINT_URL": "http://127.0.0.1:9", "S3_ACCESS_KEY_ID": "k",
             "S3_SECRET_ACCESS_KEY": "s", "S3_READ_TIMEOUT_SECONDS": "12"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split(maxsplit=3) == [
        "PrivateS3Storage", "5", "12", "{'mode': 'standard', 'total_max_attempts': 4}\n"]


def test_it_refuses_the_placeholder_secret_key_when_debug_is_off():
    result = load_settings({"ALLOWED_HOSTS": "example.org"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_it_refuses_a_short_secret_key_when_debug_is_off():
    result = load_settings({"SECRET_KEY": "short", "ALLOWED_HOSTS": "example.org"})
    assert result.returncode != 0
    assert "50 characters" in result.stderr


def test_it_refuses_empty_allowed_hosts_when_debug_is_off():
    result = load_settings({"SECRET_KEY": GOOD_KEY})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_it_starts_in_debug_without_secrets():
    result = load_settings({"DEBUG": "1"})
    assert result.returncode == 0, result.stderr
    assert "LOADED True" in result.stdout


def production_keys(tmp_path) -> dict:
    """The keys kept outside the database, as key files (docs/deploy.md)."""
    (tmp_path / "encryption_keys").write_text(base64.urlsafe_b64encode(os.urandom(32)).decode())
    (tmp_path / "audit_hmac_key").write_text(secrets.token_urlsafe(48))
    return {"ENCRYPTION_KEYS_FILE": str(tmp_path / "encryption_keys"),
            "AUDIT_HMAC_KEY_FILE": str(tmp_path / "audit_hmac_key")}


def test_it_reads_the_secret_key_from_a_file(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text(GOOD_KEY + "\n")
    result = load_settings({"SECRET_KEY_FILE": str(key_file), "ALLOWED_HOSTS": "example.org",
                            **production_keys(tmp_path)})
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("missing", ["ENCRYPTION_KEYS", "AUDIT_HMAC_KEY"])
def test_it_refuses_to_start_without_a_key_kept_outside_the_database(tmp_path, missing):
    env = {"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "example.org", **production_keys(tmp_path)}
    del env[f"{missing}_FILE"]
    result = load_settings(env)
    assert result.returncode != 0
    assert f"{missing} (or {missing}_FILE) must be set when DEBUG is off" in result.stderr


def test_it_refuses_a_malformed_encryption_key(tmp_path):
    env = {"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "example.org", **production_keys(tmp_path),
           "ENCRYPTION_KEYS": "not-a-fernet-key"}
    result = load_settings(env)
    assert result.returncode != 0
    assert "ENCRYPTION_KEYS: each key must be 32 bytes" in result.stderr


def test_debug_and_the_demo_generate_their_keys_once_in_data_dir(tmp_path):
    show = ("import verifikasi.settings as s; "
            "print('KEYS', s.ENCRYPTION_KEYS[0], s.AUDIT_HMAC_KEY)")
    env = {"PATH": os.environ["PATH"], "DATA_DIR": str(tmp_path)}

    def keys(**extra):
        result = subprocess.run([sys.executable, "-c", show], cwd=ROOT, env={**env, **extra},
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        return result.stdout.split("KEYS ", 1)[1].split()

    first = keys(DEBUG="1")
    assert keys(DEMO_MODE="1", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="127.0.0.1") == first
    assert (tmp_path / "encryption_keys").stat().st_mode & 0o077 == 0
    assert (tmp_path / "encryption_keys").read_text().strip() == first[0]
    assert (tmp_path / "audit_hmac_key").read_text().strip() == first[1]


def test_it_refuses_a_malformed_boolean():
    result = load_settings({"DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_it_refuses_a_trusted_proxy_that_is_not_an_address():
    result = load_settings({"DEBUG": "1", "TRUSTED_PROXIES": "127.0.0.1,nginx"})
    assert result.returncode != 0
    assert "TRUSTED_PROXIES: 'nginx' is not an IP address or CIDR network" in result.stderr


def test_deploy_check_is_clean_with_a_production_like_environment(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text(secrets.token_urlsafe(50))
    env = {
        "SECRET_KEY_FILE": str(key_file),
        "ALLOWED_HOSTS": "verifikasi.lpse.example.go.id",
        "SITE_URL": "https://verifikasi.lpse.example.go.id",
        "HTTPS": "1",
        "EMAIL_MODE": "smtp",
        "SMTP_HOST": "smtp.example.go.id",
        "TRUSTED_PROXIES": "127.0.0.1",
        **production_keys(tmp_path),
    }
    result = load_settings(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


class TestEnvHelpers:
    def test_envbool_accepts_the_usual_spellings(self, monkeypatch):
        for raw, expected in [("1", True), ("yes", True), ("ON", True), ("0", False),
                              ("off", False), ("", False)]:
            monkeypatch.setenv("FLAG", raw)
            assert envbool("FLAG", not expected) is expected

    def test_envbool_uses_the_default_when_unset(self, monkeypatch):
        monkeypatch.delenv("FLAG", raising=False)
        assert envbool("FLAG", True) is True

    def test_envint_refuses_text_and_values_below_minimum(self, monkeypatch):
        monkeypatch.setenv("NUM", "ten")
        with pytest.raises(ImproperlyConfigured, match="NUM must be an integer"):
            envint("NUM", 1)
        monkeypatch.setenv("NUM", "0")
        with pytest.raises(ImproperlyConfigured, match="at least 1"):
            envint("NUM", 5, minimum=1)

    def test_envstr_reads_name_file(self, monkeypatch, tmp_path):
        (tmp_path / "pw").write_text("rahasia\n")
        monkeypatch.delenv("PW", raising=False)
        monkeypatch.setenv("PW_FILE", str(tmp_path / "pw"))
        assert envstr("PW") == "rahasia"

    def test_envstr_refuses_an_unreadable_file(self, monkeypatch, tmp_path):
        monkeypatch.delenv("PW", raising=False)
        monkeypatch.setenv("PW_FILE", str(tmp_path / "missing"))
        with pytest.raises(ImproperlyConfigured, match="PW_FILE"):
            envstr("PW")

    def test_key_file_is_generated_once_even_by_processes_starting_together(self, tmp_path):
        from concurrent.futures import ThreadPoolExecutor

        from verifikasi.core.env import key_file

        path = tmp_path / "keys" / "encryption_keys"
        with ThreadPoolExecutor(8) as pool:
            keys = set(pool.map(lambda _: key_file(path, lambda: secrets.token_hex(16)),
                                range(16)))

        assert len(keys) == 1
        assert path.read_text().strip() == keys.pop()
        assert [p.name for p in path.parent.iterdir()] == ["encryption_keys"]

    def test_envlist_splits_on_commas(self, monkeypatch):
        monkeypatch.setenv("HOSTS", " a.example , b.example,,")
        assert envlist("HOSTS", []) == ["a.example", "b.example"]

    def test_database_url_parses_postgres_and_sqlite(self, tmp_path):
        pg = database_from_url("postgres://u:p%40ss@db.local:6543/verif", base_dir=tmp_path)
        assert (pg["ENGINE"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == (
            "django.db.backends.postgresql", "u", "p@ss", "db.local", "6543", "verif")
        assert pg["OPTIONS"]["connect_timeout"] == 5  # an unreachable database fails fast
        lite = database_from_url("sqlite:////var/lib/v/db.sqlite3", base_dir=tmp_path)
        assert lite["NAME"] == "/var/lib/v/db.sqlite3"
        assert lite["OPTIONS"]["transaction_mode"] == "IMMEDIATE"

    def test_database_url_refuses_unknown_schemes(self, tmp_path):
        with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
            database_from_url("mysql://x/y", base_dir=tmp_path)
