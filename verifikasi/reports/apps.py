from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "verifikasi.reports"
    verbose_name = "Laporan"
