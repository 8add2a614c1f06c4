from django.urls import path

from .views import staff

urlpatterns = [
    path("", staff.queue, name="staff_queue"),
    path("<uuid:code>/", staff.review, name="staff_review"),
    path("<uuid:code>/ambil/", staff.take, name="staff_take"),
    path("<uuid:code>/tugaskan/", staff.assign, name="staff_assign"),
    path("<uuid:code>/dokumen/<slug:type_code>/periksa/", staff.review_document,
         name="staff_review_document"),
    path("<uuid:code>/data/tandai/", staff.flag_field, name="staff_flag_field"),
    path("<uuid:code>/daftar-hitam/", staff.blacklist, name="staff_blacklist"),
    path("<uuid:code>/kirim-hasil/", staff.complete, name="staff_complete"),
    path("<uuid:code>/tolak/", staff.reject, name="staff_reject"),
    path("<uuid:code>/perpanjang-tenggat/", staff.extend_deadline,
         name="staff_extend_deadline"),
    path("<uuid:code>/berkas/<uuid:doc_code>/halaman/<int:page>.png", staff.document_page,
         name="staff_document_page"),
]
