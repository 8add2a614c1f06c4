from django.urls import path

from . import outcome_views, receipt_views, views

urlpatterns = [
    path("cek/", views.certificate_check_upload, name="certificate_check_upload"),
    path("cek/<str:code>/", views.certificate_check, name="certificate_check"),
    path("tanda-lulus/<str:code>/unduh/", views.certificate_download,
         name="certificate_download"),
    path("tanda-lulus/<str:code>/cabut/", views.certificate_revoke, name="certificate_revoke"),
    path("tanda-terima/<str:token>/", receipt_views.receipt_by_link, name="receipt_confirm"),
    path("pendaftaran/<uuid:code>/konfirmasi-terima/", receipt_views.receipt_from_home,
         name="receipt_from_home"),
    path("verifikator/<uuid:code>/spse/", outcome_views.spse_approval,
         name="staff_spse_approval"),
    path("verifikator/<uuid:code>/setujui-kedua/", outcome_views.countersign,
         name="staff_countersign"),
    path("verifikator/<uuid:code>/tutup/", outcome_views.close, name="staff_close"),
    path("verifikator/<uuid:code>/terbitkan-ulang/", outcome_views.reissue,
         name="staff_reissue"),
]
