"""The admin shows issued certificates but never lets anyone edit or delete them."""

from django.urls import reverse

from tests.conftest import login


def test_the_admin_lists_and_shows_certificates_read_only(client, admin_user, certificate):
    login(client, admin_user)

    listing = client.get(reverse("admin:certificates_certificate_changelist"))
    detail = client.get(reverse("admin:certificates_certificate_change", args=[certificate.pk]))

    assert listing.status_code == 200
    assert certificate.number in listing.content.decode()
    assert detail.status_code == 200
    assert 'name="company_name"' not in detail.content.decode()  # no input: read-only
    assert client.get(reverse("admin:certificates_certificate_add")).status_code == 403
    delete = reverse("admin:certificates_certificate_delete", args=[certificate.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403


def test_the_admin_edits_the_office_settings(client, admin_user, office):
    from verifikasi.certificates.selectors import certificate_settings_get

    cfg = certificate_settings_get(office)
    login(client, admin_user)
    url = reverse("admin:certificates_certificatesettings_change", args=[cfg.pk])

    response = client.post(url, {
        "office": office.pk, "number_pattern": "{seq}/{nama}", "signer_name": "",
        "signer_title": "", "place": "", "receipt_reminder_days": 3,
    })

    assert response.status_code == 200  # the form again, with the error
    assert "penanda yang tidak dikenal" in response.content.decode()
