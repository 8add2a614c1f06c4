from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "verifikasi.incidents"
    label = "incidents"
    verbose_name = "Register insiden data pribadi"
