from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "verifikasi.meetings"
    label = "meetings"
    verbose_name = "Video call verifikasi"
