from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "verifikasi.notifications"
    label = "notifications"
    verbose_name = "Email"

    def ready(self):
        # Register the outbox's retention applier in core's table.
        from . import retention  # noqa: F401
