from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "verifikasi.scheduling"
    label = "scheduling"
    verbose_name = "Jadwal verifikasi"
