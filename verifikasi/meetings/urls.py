from django.urls import path

from . import views

urlpatterns = [
    path("webhooks/zoom/", views.zoom_webhook, name="zoom_webhook"),
    path("staf/rekaman/<uuid:code>/unduh/", views.recording_download, name="recording_download"),
    path("staf/rekaman/<uuid:code>/putar/", views.recording_stream, name="recording_stream"),
]
