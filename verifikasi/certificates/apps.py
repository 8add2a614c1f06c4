from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "verifikasi.certificates"
    label = "certificates"
    verbose_name = "Tanda lulus verifikasi"

    def ready(self):
        # Register this app's conditions, effects and panels in the lifecycle map.
        from . import outcome, outcome_views, retention  # noqa: F401
