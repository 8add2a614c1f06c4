from allauth.account.decorators import secure_admin_login
from allauth.account.views import login as account_login
from django.contrib import admin
from django.urls import include, path

from verifikasi.core.pagecache import public_page
from verifikasi.front import messages as front_messages
from verifikasi.front import views as front_views
from verifikasi.notifications import views as notification_views

# The admin's own password-only login would skip the second factor: send it
# through allauth's login (password, then TOTP) instead.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", front_views.landing, name="landing"),
    path("beranda/", front_views.home, name="home"),
    path("poster.pdf", front_views.poster, name="poster"),
    path("healthz", front_views.healthz, name="healthz"),
    path("pendaftaran/", front_views.vendor_home, name="vendor_home"),
    path("pendaftaran/", include("verifikasi.registrations.urls")),
    path("verifikator/", include("verifikasi.registrations.staff_urls")),
    path("jadwal/", include("verifikasi.scheduling.urls")),
    path("", include("verifikasi.meetings.urls")),
    path("", include("verifikasi.certificates.urls")),
    path("", include("verifikasi.survey.urls")),
    path("", include("verifikasi.privacy.urls")),
    path("", include("verifikasi.whatsapp.urls")),
    path("staf/kotak-keluar/", notification_views.outbox, name="outbox"),
    path("staf/kotak-keluar/<uuid:code>/", notification_views.outbox_detail, name="outbox_detail"),
    path("staf/kotak-keluar/<uuid:code>/lampiran/<int:index>/",
         notification_views.outbox_attachment, name="outbox_attachment"),
    path("staf/teks-email/", front_messages.message_list, name="message_list"),
    path("staf/teks-email/<slug:key>/", front_messages.message_edit, name="message_edit"),
    path("staf/teks-email/<slug:key>/kembalikan/", front_messages.message_revert,
         name="message_revert"),
    # The login page strangers see is kept rendered (core.pagecache); the rest is allauth's.
    path("akun/login/", public_page(account_login), name="account_login"),
    path("staf/insiden/", include("verifikasi.incidents.urls")),
    path("staf/laporan/", include("verifikasi.reports.urls")),
    path("akun/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "Verifikasi Daring — Admin LPSE"
admin.site.site_title = "Verifikasi Daring"

# A database or storage outage outside a view: the 503 page, not the 500 one.
handler500 = "verifikasi.core.unavailable.server_error"
