"""The demo outbox (Kotak keluar): office staff read the emails the system sent,
in demo mode only, and only their own office's."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import login, make_user
from tests.notifications import LINK, queue_test_email
from verifikasi.accounts.models import Role


@pytest.fixture
def demo(settings):
    settings.DEMO_MODE = True


@pytest.fixture
def email(office):
    return queue_test_email(office)


def detail_url(email):
    return reverse("outbox_detail", args=[email.code])


def test_it_lists_the_offices_emails_for_a_verifier(demo, email, verifier_client):
    response = verifier_client.get(reverse("outbox"))

    assert response.status_code == 200
    assert "Pesan uji dari LPSE Kab. Ketapang" in response.text
    assert "direktur@cvmaju.test" in response.text
    assert f'href="{detail_url(email)}"' in response.text


def test_it_shows_a_message_text_with_clickable_links(demo, email, verifier_client):
    response = verifier_client.get(detail_url(email))

    assert response.status_code == 200
    assert "Pesan uji dari LPSE Kab. Ketapang" in response.text
    assert "Yth. Budi Santoso," in response.text
    assert "bpbj.verifikator@gmail.com" in response.text  # the Reply-To
    assert f'<a href="{LINK}"' in response.text


def test_it_shows_the_outbox_to_a_coordinator(demo, email, coordinator_client):
    assert coordinator_client.get(detail_url(email)).status_code == 200


def test_it_returns_404_to_a_vendor(demo, email, vendor_client):
    assert vendor_client.get(reverse("outbox")).status_code == 404
    assert vendor_client.get(detail_url(email)).status_code == 404


def test_it_returns_404_to_staff_outside_demo_mode(settings, email, verifier_client):
    settings.DEMO_MODE = False

    assert verifier_client.get(reverse("outbox")).status_code == 404
    assert verifier_client.get(detail_url(email)).status_code == 404


def test_it_hides_another_offices_emails(demo, email, other_office):
    outsider = make_user("verifikator@sambas.test", Role.VERIFIER, other_office, totp=True)
    client = login(Client(), outsider)
    own = queue_test_email(other_office, to="vendor@sambas.test")

    listing = client.get(reverse("outbox"))
    assert listing.status_code == 200
    assert "vendor@sambas.test" in listing.text
    assert "direktur@cvmaju.test" not in listing.text
    assert "LPSE Kab. Ketapang" not in listing.text
    assert client.get(detail_url(own)).status_code == 200
    assert client.get(detail_url(email)).status_code == 404


def test_it_sends_anonymous_visitors_to_login(demo, email, client):
    response = client.get(detail_url(email))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_it_sends_staff_without_2fa_to_set_it_up_first(demo, email, verifier_without_2fa):
    client = login(Client(), verifier_without_2fa)

    response = client.get(detail_url(email))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.fixture
def email_with_invite(office, private_storage):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from verifikasi.notifications.services import email_queue

    path = default_storage.save("invites/test/undangan.ics",
                                ContentFile(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"))
    return email_queue(template="test_message", to="direktur@cvmaju.test",
                       context={"name": "Budi Santoso", "link": LINK}, office=office,
                       attachments=[{"name": "undangan.ics", "path": path,
                                     "mimetype": "text/calendar"}])


def test_an_attachment_can_be_opened_by_the_offices_staff_and_is_audited(
        demo, email_with_invite, verifier_client, vendor):
    """Issue 21: "undangan.ics terlampir" and the attachment is there to open."""
    from verifikasi.core.models import AuditEvent

    page = verifier_client.get(detail_url(email_with_invite))
    link = reverse("outbox_attachment", args=[email_with_invite.code, 0])
    assert f'href="{link}"' in page.text and "undangan.ics" in page.text
    assert "no-store" in page["Cache-Control"]

    response = verifier_client.get(link)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"BEGIN:VCALENDAR")
    assert "no-store" in response["Cache-Control"]
    assert 'filename="undangan.ics"' in response["Content-Disposition"]
    assert AuditEvent.objects.filter(action="email.attachment_downloaded").count() == 1

    assert login(Client(), vendor).get(link).status_code == 404
    assert verifier_client.get(reverse("outbox_attachment",
                                       args=[email_with_invite.code, 5])).status_code == 404


def test_a_purged_attachment_is_named_without_a_link(demo, email_with_invite, verifier_client):
    from django.core.files.storage import default_storage

    default_storage.delete(email_with_invite.attachments[0]["path"])
    page = verifier_client.get(detail_url(email_with_invite)).text
    assert "sudah dihapus sesuai masa simpan" in page
    assert reverse("outbox_attachment", args=[email_with_invite.code, 0]) not in page
    assert verifier_client.get(reverse("outbox_attachment",
                                       args=[email_with_invite.code, 0])).status_code == 404
