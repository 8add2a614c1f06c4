from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "verifikasi.privacy"
    label = "privacy"
    verbose_name = "Pelindungan data pribadi"

    def ready(self):
        # Register the correction's effect in the lifecycle map.
        from . import corrections, exports  # noqa: F401  (lifecycle effects, retention)
