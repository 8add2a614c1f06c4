"""What a deletion request or a withdrawal of consent deletes now and what must be kept.

``erasure_plan`` answers in plain words (the vendor sees it before asking and in the
letter); ``erasure_apply`` carries out the "now" part through the lifecycle map: an open
registration is withdrawn (the vendor's own ``withdraw``), then its files and NIKs go
through the same purge as the retention job (``registration_documents_purge``).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from verifikasi.registrations import workflow
from verifikasi.registrations.models import Registration
from verifikasi.registrations.models import RegistrationStatus as S
from verifikasi.registrations.retention import registration_documents_purge
from verifikasi.registrations.services import registration_withdraw

from .holdings import Holdings
from .periods import retention_classes

DELETE_NOW, KEEP = "delete_now", "keep"


@dataclass
class PlanItem:
    what: str
    action: str  # DELETE_NOW or KEEP
    until: date | None
    why: str
    registration: Registration | None = None

    @property
    def deleted_now(self) -> bool:
        return self.action == DELETE_NOW


def _name(reg: Registration) -> str:
    return reg.company_name or _("pendaftaran tanpa nama")


def _registration_item(reg: Registration, doc_days: int) -> PlanItem:
    name = _name(reg)
    if reg.is_open and workflow.can(reg, "withdraw", reg.vendor):
        return PlanItem(
            _("Pendaftaran %(name)s (%(status)s): dibatalkan; dokumen persyaratan, halaman "
              "pratinjau, undangan kalender dan NIK dihapus") % {
                "name": name, "status": reg.get_status_display()},
            DELETE_NOW, None, _("Verifikasi belum selesai, sehingga tidak ada kewajiban "
                                "menyimpannya."), reg)
    if reg.status == S.WITHDRAWN:
        return PlanItem(
            _("Dokumen persyaratan dan NIK pada pendaftaran %(name)s yang sudah dibatalkan")
            % {"name": name}, DELETE_NOW, None,
            _("Pendaftaran dibatalkan, sehingga tidak ada kewajiban menyimpannya."), reg)
    if reg.status == S.LAPSED:
        return PlanItem(
            _("Dokumen persyaratan dan NIK pada pendaftaran %(name)s yang sudah gugur")
            % {"name": name}, DELETE_NOW, None,
            _("Pendaftaran gugur karena batas waktu perbaikan lewat, sehingga tidak ada "
              "kewajiban menyimpannya."), reg)
    if reg.status in (S.COMPLETED, S.REJECTED):
        until = timezone.localdate(reg.status_changed_at) + timedelta(days=doc_days)
        why = (_("Verifikasi yang sudah selesai adalah arsip pengadaan yang wajib disimpan "
                 "kantor selama masa retensi.") if reg.status == S.COMPLETED else
               _("Penolakan adalah keputusan kantor yang wajib dapat dipertanggungjawabkan "
                 "selama masa retensi."))
        return PlanItem(
            _("Dokumen persyaratan dan NIK pada pendaftaran %(name)s (%(status)s)") % {
                "name": name, "status": reg.get_status_display()}, KEEP, until, why, reg)
    return PlanItem(
        _("Pendaftaran %(name)s (%(status)s)") % {
            "name": name, "status": reg.get_status_display()},
        KEEP, None, _("Tanda lulus sudah terbit; proses ini diselesaikan dulu, lalu disimpan "
                      "%(days)s hari sebagai arsip.") % {"days": doc_days}, reg)


def erasure_plan(holdings: Holdings, office) -> list[PlanItem]:
    periods = retention_classes(office)
    doc_days = periods["documents"].days
    items = [_registration_item(r, doc_days) for r in holdings.registrations
             if r.office_id == office.pk]
    for rec in holdings.recordings:
        items.append(PlanItem(
            _("Rekaman video call %(when)s") % {
                "when": date_format(timezone.localtime(rec.created_at), "DATE_FORMAT")},
            KEEP, rec.delete_after, str(periods["recordings"].purpose)))
    for cert in holdings.certificates:
        items.append(PlanItem(_("Tanda lulus nomor %(number)s") % {"number": cert.number},
                              KEEP, None, str(periods["certificate"].purpose)))
    items.append(PlanItem(str(periods["account"].label), KEEP, None,
                          str(periods["account"].period)))
    items.append(PlanItem(str(periods["audit"].label), KEEP, None,
                          str(periods["audit"].period)))
    return items


def erasure_apply(*, data_request, plan: list[PlanItem], request=None) -> int:
    """Delete now what the plan says may go; returns how many registrations were purged."""
    purged = 0
    for item in plan:
        reg = item.registration
        if not item.deleted_now or reg is None:
            continue
        if reg.status not in (S.WITHDRAWN, S.LAPSED):
            # The vendor's own withdraw, on their written request (UU PDP Pasal 8).
            registration_withdraw(registration=reg, actor=data_request.requester,
                                  request=request,
                                  reason=_("Permintaan penghapusan data pribadi."))
        registration_documents_purge(
            registration=reg, action="privacy.documents_erased",
            details={"data_request": str(data_request.code)})
        purged += 1
    return purged
