from django.apps import AppConfig


class RegistrationsConfig(AppConfig):
    name = "verifikasi.registrations"
    label = "registrations"
    verbose_name = "Pendaftaran"
