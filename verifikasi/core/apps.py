from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "verifikasi.core"
    label = "core"
    verbose_name = "Inti"

    def ready(self):
        # Each app describes its audit events in its own ``events`` module.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("events")
        # Register core's own retention appliers (audit IPs, sessions).
        from . import retention_appliers  # noqa: F401

        # One read of os.urandom per CSRF secret or mask instead of 32 (issue 16).
        from .csrf_tokens import install

        install()
