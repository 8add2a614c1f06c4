from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "verifikasi.scheduling"
    label = "scheduling"
    verbose_name = "Jadwal verifikasi"

    def ready(self):
        # Register this app's conditions, effects and panels in the lifecycle map.
        from . import closed_days, closing, lifecycle, services  # noqa: F401
