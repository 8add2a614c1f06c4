"""One stranger must not be able to lock everyone out (issue 13).

Behind the documented nginx every socket peer is 127.0.0.1. X-Forwarded-For is
believed only from a peer listed in TRUSTED_PROXIES (empty by default); then the
client is the right-most entry that is not itself a trusted proxy. Every rate
limit, lockout, audit and consent record uses that address.
"""

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.conftest import PASSWORD, login
from tests.registrations.factories import (
    add_all_documents,
    make_registration,
    pdf_bytes,
    propose_first_free_slot,
)
from verifikasi.accounts.client_ip import client_ip
from verifikasi.certificates import views as certificate_views
from verifikasi.core.audit import audit_log

A = "203.0.113.10"
B = "198.51.100.20"
WRONG = "bukan-kata-sandinya"


def request_from(peer="127.0.0.1", xff=None):
    extra = {"REMOTE_ADDR": peer}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **extra)


@pytest.fixture
def behind_nginx(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]


@pytest.fixture
def production_login_limit(settings):
    """The shipped default of LOGIN_RATE_LIMIT (pytest-env raises it for other tests)."""
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS,
                                    "login_failed": "5/5m/ip,5/5m/key"}


def attempt(email, password, xff):
    client = Client(HTTP_X_FORWARDED_FOR=xff)  # REMOTE_ADDR is 127.0.0.1, as behind nginx
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    return client, response


def locked(response) -> bool:
    form = response.context and response.context.get("form")
    codes = [e.code for e in form.errors.as_data().get("__all__", [])] if form else []
    return "too_many_login_attempts" in codes


class TestTheRule:
    def test_it_ignores_forwarding_headers_by_default(self, settings):
        settings.TRUSTED_PROXIES = []
        assert client_ip(request_from("127.0.0.1", A)) == "127.0.0.1"

    def test_it_takes_the_right_most_untrusted_entry_from_a_trusted_peer(self, behind_nginx):
        assert client_ip(request_from("127.0.0.1", A)) == A
        # The client wrote "B" itself; nginx appended the address it saw.
        assert client_ip(request_from("127.0.0.1", f"{B}, {A}")) == A

    def test_it_skips_every_trusted_hop_including_cidrs(self, settings):
        settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
        assert client_ip(request_from("127.0.0.1", f"{B}, {A}, 10.1.2.3")) == A

    def test_it_believes_no_header_from_an_untrusted_peer(self, behind_nginx):
        assert client_ip(request_from(B, A)) == B

    def test_it_counts_a_garbled_header_against_the_proxy(self, behind_nginx):
        assert client_ip(request_from("127.0.0.1", f"{A}, not-an-ip")) == "127.0.0.1"
        assert client_ip(request_from("127.0.0.1", "")) == "127.0.0.1"
        assert client_ip(request_from("127.0.0.1")) == "127.0.0.1"

    def test_it_normalises_ports_and_ipv4_mapped_addresses(self, behind_nginx):
        assert client_ip(request_from("::ffff:127.0.0.1", f"{A}:51234")) == A

    def test_a_malformed_setting_is_refused(self, settings):
        settings.TRUSTED_PROXIES = ["nginx.local"]
        with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES"):
            client_ip(request_from("127.0.0.1", A))


class TestLoginLockout:
    """The acceptance test of issue 13, with the shipped login limit."""

    def test_six_failures_from_a_lock_a_but_not_b(self, behind_nginx, production_login_limit,
                                                  vendor, other_vendor):
        for _ in range(6):
            attempt(vendor.email, WRONG, A)

        client_a, response_a = attempt(other_vendor.email, PASSWORD, A)
        assert locked(response_a)
        assert SESSION_KEY not in client_a.session

        client_b, response_b = attempt(other_vendor.email, PASSWORD, B)
        assert response_b.status_code == 302
        assert client_b.session[SESSION_KEY] == str(other_vendor.pk)

    def test_without_the_setting_a_forged_header_changes_nothing(
        self, settings, production_login_limit, vendor, other_vendor
    ):
        settings.TRUSTED_PROXIES = []
        for _ in range(6):
            attempt(vendor.email, WRONG, A)

        # Everyone is 127.0.0.1 again: "B" is the same client as "A".
        client_b, response_b = attempt(other_vendor.email, PASSWORD, B)
        assert locked(response_b)
        assert SESSION_KEY not in client_b.session

    def test_signup_is_limited_per_client(self, behind_nginx, settings, office):
        settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/h/ip"}

        def sign_up(n, xff):
            return Client(HTTP_X_FORWARDED_FOR=xff).post(reverse("account_signup"), {
                "email": f"baru{n}@cv.test", "password1": "Rahasia-Perusahaan-2025",
                "password2": "Rahasia-Perusahaan-2025"})

        assert [sign_up(n, A).status_code for n in range(2)] == [302, 302]
        assert sign_up(3, A).status_code == 429
        assert sign_up(4, B).status_code == 302


class TestRecords:
    def test_the_audit_log_records_the_client(self, behind_nginx, db):
        event = audit_log(action="test.event", request=request_from("127.0.0.1", f"{B}, {A}"))
        assert event.ip == A

    def test_the_consent_record_has_the_client(self, behind_nginx, vendor, office):
        registration = make_registration(vendor, office)
        add_all_documents(registration)
        propose_first_free_slot(registration)
        client = login(Client(HTTP_X_FORWARDED_FOR=A), vendor)
        client.post(reverse("registration_submit", args=[registration.code]), {"consent": "1"})
        registration.refresh_from_db()
        assert registration.consent_ip == A

    def test_the_cek_upload_limit_is_per_client(self, behind_nginx, db, monkeypatch):
        monkeypatch.setattr(certificate_views, "CHECK_RATE_LIMIT", 1)
        data = pdf_bytes("Surat lain")

        def upload(xff):
            return Client(HTTP_X_FORWARDED_FOR=xff).post(
                reverse("certificate_check_upload"),
                {"file": SimpleUploadedFile("a.pdf", data, "application/pdf")})

        assert upload(A).status_code == 200
        assert upload(A).status_code == 429
        assert upload(B).status_code == 200

