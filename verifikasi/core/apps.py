from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "verifikasi.core"
    label = "core"
    verbose_name = "Inti"
