from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "verifikasi.notifications"
    label = "notifications"
    verbose_name = "Email"
