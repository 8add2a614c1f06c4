from django.apps import AppConfig


class WhatsAppConfig(AppConfig):
    name = "verifikasi.whatsapp"
    label = "whatsapp"
    verbose_name = "WhatsApp"

    def ready(self):
        # Copy the listed emails to WhatsApp (notifications' queue hook), show the
        # copies in the outbox, and clear their text with the emails' bodies
        # (retention); core discovers the ``events`` module itself.
        from . import hooks, retention  # noqa: F401
