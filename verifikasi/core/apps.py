from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "verifikasi.core"
    label = "core"
    verbose_name = "Inti"

    def ready(self):
        # Register core's own retention appliers (audit IPs, sessions).
        from . import retention_appliers  # noqa: F401
