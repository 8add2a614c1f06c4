from django.urls import path

from .views import staff, vendor

urlpatterns = [
    # Staff (verifier, coordinator; the calendar and availability also admin)
    path("staf/kalender/", staff.calendar, name="schedule_calendar"),
    path("staf/ketersediaan/", staff.availability, name="schedule_availability"),
    path("staf/ketersediaan/tutup/", staff.closure_add, name="schedule_closure_add"),
    path("staf/ketersediaan/tutup/<uuid:closure_code>/hapus/", staff.closure_delete,
         name="schedule_closure_delete"),
    path("staf/<uuid:code>/", staff.manage, name="schedule_manage"),
    path("staf/<uuid:code>/konfirmasi/", staff.confirm, name="schedule_confirm"),
    path("staf/<uuid:code>/tawarkan/", staff.offer, name="schedule_offer"),
    path("staf/<uuid:code>/jadwal-ulang/", staff.reschedule, name="schedule_staff_reschedule"),
    path("staf/<uuid:code>/tidak-hadir/", staff.no_show, name="schedule_no_show"),
    # Vendor (Pelaku Usaha)
    path("<uuid:code>/", vendor.appointment, name="schedule_vendor"),
    path("<uuid:code>/usulan/", vendor.propose, name="schedule_propose"),
    path("<uuid:code>/jadwal-pengganti/", vendor.offer, name="schedule_offer_respond"),
    path("<uuid:code>/ubah/", vendor.reschedule, name="schedule_reschedule_request"),
    path("<uuid:code>/undangan.ics", vendor.invite, name="schedule_invite"),
]
