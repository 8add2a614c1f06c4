"""Teks email shows the WhatsApp template names the office actually uses (the WhatsApp
app registers itself with notifications' provider hook)."""

from django.urls import reverse

from verifikasi.whatsapp.models import WhatsAppSettings


def test_teks_email_lists_each_message_with_the_office_template_name(
        office_admin_client, office, other_office):
    WhatsAppSettings.objects.create(
        office=office, template_names={"appointment_confirmed": "jadwal_ok_ketapang_v3"})
    WhatsAppSettings.objects.create(
        office=other_office, template_names={"certificate_issued": "lulus_sambas"})
    page = office_admin_client.get(reverse("message_list")).content.decode()
    assert "WhatsApp belum diaktifkan." not in page
    # Renamed by this office; the others keep their default names.
    assert "jadwal_ok_ketapang_v3" in page and "verifikasi_jadwal_dikonfirmasi" not in page
    assert "verifikasi_tanda_lulus" in page and "verifikasi_perbaikan_dokumen" in page
    # Another office's names never show.
    assert "lulus_sambas" not in page


def test_an_office_without_whatsapp_settings_sees_the_default_names(office_admin_client):
    page = office_admin_client.get(reverse("message_list")).content.decode()
    assert "verifikasi_pengingat_24_jam" in page and "verifikasi_pengingat_1_jam" in page
