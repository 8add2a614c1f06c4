from django.apps import AppConfig


class OfficesConfig(AppConfig):
    name = "verifikasi.offices"
    label = "offices"
    verbose_name = "Kantor LPSE"
