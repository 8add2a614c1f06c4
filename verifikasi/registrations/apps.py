from django.apps import AppConfig


class RegistrationsConfig(AppConfig):
    name = "verifikasi.registrations"
    label = "registrations"
    verbose_name = "Pendaftaran"

    def ready(self):
        # Register this app's conditions, effects and panels in the lifecycle map. The
        # deficiency deadline first: the deficiency email (review) shows it.
        from . import deadlines, sla  # noqa: F401, I001
        from . import audiences, checking, retention, review, revision, services  # noqa: F401
