from django.urls import path

from .views import vendor

urlpatterns = [
    path("", vendor.vendor_home, name="vendor_home"),
    path("baru/", vendor.registration_new, name="registration_new"),
    path("<uuid:code>/data/", vendor.registration_company, name="registration_company"),
    path("<uuid:code>/dokumen/", vendor.registration_documents, name="registration_documents"),
    path("<uuid:code>/ajukan/", vendor.registration_submit, name="registration_submit"),
    path("<uuid:code>/batalkan/", vendor.registration_withdraw, name="registration_withdraw"),
]
