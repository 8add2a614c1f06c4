from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "verifikasi.certificates"
    label = "certificates"
    verbose_name = "Tanda lulus verifikasi"
