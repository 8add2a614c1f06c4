from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "verifikasi.accounts"
    label = "accounts"
    verbose_name = "Akun"
