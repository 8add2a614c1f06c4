from django.urls import path

from . import views

urlpatterns = [
    path("cek/", views.certificate_check_upload, name="certificate_check_upload"),
    path("cek/<str:code>/", views.certificate_check, name="certificate_check"),
    path("tanda-lulus/<str:code>/unduh/", views.certificate_download,
         name="certificate_download"),
    path("tanda-lulus/<str:code>/cabut/", views.certificate_revoke, name="certificate_revoke"),
]
