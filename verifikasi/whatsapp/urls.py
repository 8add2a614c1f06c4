from django.urls import path

from . import views

urlpatterns = [
    path("notifikasi/whatsapp/", views.contact, name="whatsapp_contact"),
    path("webhooks/whatsapp/", views.webhook, name="whatsapp_webhook"),
]
