from django.apps import AppConfig


class SurveyConfig(AppConfig):
    """The office's service standard and the SKM satisfaction survey (issue 19)."""

    name = "verifikasi.survey"
    label = "survey"
    verbose_name = "Standar pelayanan dan survei kepuasan"

    def ready(self):
        # Register the invitation as an effect of closing a registration.
        from . import invitations  # noqa: F401
