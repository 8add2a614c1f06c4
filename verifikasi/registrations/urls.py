from django.urls import path

from .views import documents as document_views
from .views import vendor

urlpatterns = [
    path("baru/", vendor.registration_new, name="registration_new"),
    path("<uuid:code>/data/", vendor.registration_company, name="registration_company"),
    path("<uuid:code>/dokumen/", vendor.registration_documents, name="registration_documents"),
    path("<uuid:code>/ajukan/", vendor.registration_submit, name="registration_submit"),
    path("<uuid:code>/batalkan/", vendor.registration_withdraw, name="registration_withdraw"),
    path("<uuid:code>/dokumen/<slug:type_code>/unggah/", document_views.document_upload,
         name="document_upload"),
    path("<uuid:code>/berkas/<uuid:doc_code>/unduh/", document_views.document_download,
         name="document_download"),
    path("<uuid:code>/berkas/<uuid:doc_code>/thumbnail.png", document_views.document_thumbnail,
         name="document_thumbnail"),
    path("<uuid:code>/berkas/<uuid:doc_code>/pratinjau/", document_views.document_preview,
         name="document_preview"),
    path("<uuid:code>/berkas/<uuid:doc_code>/pemeriksaan/", document_views.document_check_status,
         name="document_check_status"),
]
