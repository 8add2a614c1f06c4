from django.urls import path

from . import staff_views, views

urlpatterns = [
    path("data-saya/", views.my_data, name="privacy_my_data"),
    path("data-saya/salinan/", views.export_request, name="privacy_export_request"),
    path("data-saya/salinan/<uuid:code>/", views.export_download,
         name="privacy_export_download"),
    path("data-saya/permintaan/", views.request_file, name="privacy_request_file"),
    path("staf/permintaan-data/", staff_views.staff_requests, name="privacy_staff_requests"),
    path("staf/permintaan-data/<uuid:code>/", staff_views.staff_request_detail,
         name="privacy_staff_request"),
]
