from django.urls import path

from verifikasi.meetings import call_views

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
    path("<uuid:code>/berkas/<uuid:doc_code>/halaman/<int:page>.png", staff.document_page,
         name="staff_document_page"),
    path("<uuid:code>/spse/", staff.spse_approval, name="staff_spse_approval"),
    path("<uuid:code>/setujui-kedua/", staff.countersign, name="staff_countersign"),
    path("<uuid:code>/tutup/", staff.close, name="staff_close"),
    path("<uuid:code>/terbitkan-ulang/", staff.reissue, name="staff_reissue"),
    path("<uuid:code>/panggilan/", call_views.call_screen, name="call_screen"),
    path("<uuid:code>/panggilan/hasil/", call_views.call_outcome, name="call_outcome"),
    path("<uuid:code>/panggilan/tautan/", call_views.call_link, name="call_link"),
    path("<uuid:code>/panggilan/ulang/", call_views.call_retry, name="call_retry"),
    path("<uuid:code>/panggilan/rekaman/", call_views.call_recording_upload,
         name="call_recording_upload"),
]
