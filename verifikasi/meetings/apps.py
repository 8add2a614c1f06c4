from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "verifikasi.meetings"
    label = "meetings"
    verbose_name = "Video call verifikasi"

    def ready(self):
        # Register this app's conditions, effects and panels in the lifecycle map.
        from . import audiences, call, lifecycle, recordings  # noqa: F401
