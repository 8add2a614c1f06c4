from django.urls import path

from . import call_views, views

urlpatterns = [
    path("webhooks/zoom/", views.zoom_webhook, name="zoom_webhook"),
    path("staf/rekaman/<uuid:code>/unduh/", views.recording_download, name="recording_download"),
    path("staf/rekaman/<uuid:code>/putar/", views.recording_stream, name="recording_stream"),
    path("verifikator/<uuid:code>/panggilan/", call_views.call_screen, name="call_screen"),
    path("verifikator/<uuid:code>/panggilan/hasil/", call_views.call_outcome,
         name="call_outcome"),
    path("verifikator/<uuid:code>/panggilan/tautan/", call_views.call_link, name="call_link"),
    path("verifikator/<uuid:code>/panggilan/ulang/", call_views.call_retry, name="call_retry"),
    path("verifikator/<uuid:code>/panggilan/rekaman/", call_views.call_recording_upload,
         name="call_recording_upload"),
]
