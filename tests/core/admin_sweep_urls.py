"""Just /admin and the account pages: reloaded by the sweep's own test after it swaps a
ModelAdmin in the registry (the project's urls.py built its admin URLs at import)."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("akun/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
