from django.urls import path

from . import staff_views, views

urlpatterns = [
    path("standar-pelayanan/", views.standard_page, name="survey_standard"),
    path("standar-pelayanan/<slug:office_code>/", views.standard_page,
         name="survey_standard_office"),
    path("survei-kepuasan/", views.survey_public, name="survey_public"),
    path("survei-kepuasan/<str:token>/", views.survey_form, name="survey_form"),
    path("staf/standar-pelayanan/", staff_views.standard_edit, name="survey_standard_edit"),
    path("staf/survei-kepuasan/", staff_views.survey_report, name="survey_report"),
    path("staf/survei-kepuasan/unduh.xlsx", staff_views.survey_report_xlsx,
         name="survey_report_xlsx"),
]
