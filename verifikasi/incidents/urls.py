from django.urls import path

from . import views

urlpatterns = [
    path("", views.incident_list, name="incident_list"),
    path("baru/", views.incident_new, name="incident_new"),
    path("register.csv", views.incident_export, name="incident_export"),
    path("<uuid:code>/", views.incident_detail, name="incident_detail"),
    path("<uuid:code>/ubah/", views.incident_edit, name="incident_edit"),
    path("<uuid:code>/pemberitahuan/subjek-data/", views.notice_people,
         name="incident_notice_people"),
    path("<uuid:code>/pemberitahuan/lembaga/", views.notice_authority,
         name="incident_notice_authority"),
    path("<uuid:code>/pemberitahuan/lembaga/terkirim/", views.notice_authority_sent,
         name="incident_notice_authority_sent"),
    path("<uuid:code>/pemberitahuan/lembaga/surat.<str:fmt>", views.notice_authority_download,
         name="incident_notice_authority_download"),
]
