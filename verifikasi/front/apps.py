from django.apps import AppConfig


class FrontConfig(AppConfig):
    """The top layer: public pages, each person's home page, the health check."""

    name = "verifikasi.front"
    label = "front"
    verbose_name = "Halaman depan"
