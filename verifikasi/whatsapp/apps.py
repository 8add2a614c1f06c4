from django.apps import AppConfig


class WhatsAppConfig(AppConfig):
    name = "verifikasi.whatsapp"
    label = "whatsapp"
    verbose_name = "WhatsApp"

    def ready(self):
        # Copy the listed emails to WhatsApp (notifications' queue hook) and show
        # the copies in the outbox; core discovers the ``events`` module itself.
        from . import hooks  # noqa: F401
