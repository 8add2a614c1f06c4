"""Retention of every kind of personal data: one table, one daily job (UU No. 27/2022).

``RETENTION`` names every data class the application keeps, how long it is
kept, from when, and what happens at the end. Its periods are the office's
settings (``Office.retention_*``) with safe defaults from the server settings.
docs/operations.md shows the same table (``retention_table_markdown``; a test
keeps the two in step).

The table lives in core, the lowest layer that can write the audit log; the
work of each class is done by the app that owns its data, which registers an
*applier* for it in its ``AppConfig.ready()`` (``@retention_applier("key")``),
so no lower layer imports a higher one. Once a day the worker's upkeep
(``retention_daily``) queues ``retention_apply``, which runs every applier and
writes each destruction, with its count, to the audit log (the destruction
log: action ``retention.destroyed``).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from verifikasi.offices.models import RETENTION_DEFAULT_DAYS, Office

from .audit import audit_log
from .models import RetentionRun
from .queue import enqueue

logger = logging.getLogger(__name__)

DESTROYED_ACTION = "retention.destroyed"
APPLY_TASK = "verifikasi.core.tasks.retention_apply"


@dataclass
class Destroyed:
    """What one applier destroyed for one office (None: data of no office)."""

    office: Office | None
    count: int
    days: int | None = None
    detail: dict = field(default_factory=dict)


Applier = Callable[..., list[Destroyed]]


@dataclass
class DataClass:
    key: str
    label: Promise  # what it is, for the people it is about
    holds: str  # where it lives in the code
    clock: Promise  # from when the period runs
    at_end: Promise  # what happens when it ends
    office_field: str = ""  # Office field with the office's period in days
    setting: str = ""  # server setting with the default (when the office leaves it empty)
    default_days: int | None = None  # None: kept, no end
    optional: bool = False  # applied only once the app that makes it registers its applier
    appliers: list[Applier] = field(default_factory=list)

    def days(self, office: Office | None = None) -> int | None:
        """The period for ``office`` in days (None: kept without end)."""
        if self.office_field and office is not None:
            value = getattr(office, self.office_field)
            if value is not None:
                return value
        if self.setting:
            value = getattr(settings, self.setting)
            return value // 86400 if self.setting == "SESSION_COOKIE_AGE" else value
        return RETENTION_DEFAULT_DAYS.get(self.office_field, self.default_days)


def _c(key, label, holds, clock, at_end, **kwargs) -> DataClass:
    return DataClass(key, label, holds, clock, at_end, **kwargs)


CLOSED = _("sejak pendaftaran ditutup (selesai, dibatalkan, ditolak atau gugur)")

RETENTION: dict[str, DataClass] = {c.key: c for c in [
    _c("documents", _("Dokumen persyaratan, gambar halaman, undangan kalender dan NIK"),
       "registrations.Document (file, thumbnail, pages/), Registration.*_nik, scheduling .ics",
       CLOSED,
       _("Berkas dimusnahkan dan NIK dikosongkan; baris dokumen (jenis, versi, SHA-256) tetap "
         "sebagai catatan."),
       office_field="retention_document_days", setting="DOCUMENT_RETENTION_DAYS"),
    _c("recordings", _("Rekaman video call"),
       "meetings.Recording", _("sejak tanggal video call"),
       _("Berkas dan barisnya dihapus; jejak audit menyimpan SHA-256 dan ukurannya."),
       setting="RECORDING_RETENTION_DAYS"),
    _c("registration_record", _("Catatan pendaftaran: data kontak dan nama orang"),
       "registrations.Registration", CLOSED,
       _("Nama direktur dan penerima kuasa, alamat, kode pos, telepon, email, User ID SPSE "
         "dan catatan bebas dikosongkan; bentuk usaha, nama perusahaan, NPWP, NIB, status, "
         "tanggal dan catatan persetujuan tetap sebagai arsip."),
       office_field="retention_registration_days"),
    _c("certificates", _("Tanda lulus verifikasi (PDF)"),
       "certificates.Certificate.file", CLOSED,
       _("Berkas PDF dihapus; nomor, tanggal dan SHA-256 tetap, sehingga halaman cek tetap "
         "menjawab."),
       office_field="retention_registration_days"),
    _c("outbox_body", _("Isi email keluar dan lampirannya"),
       "notifications.OutboundEmail (body_text, body_html, attachments), "
       "whatsapp.WhatsAppMessage (parameters)",
       _("sejak terkirim (atau gagal untuk terakhir kali)"),
       _("Isi dan daftar lampiran dihapus; penerima, subjek, status dan waktu tetap. Berkas "
         "lampiran mengikuti kelas datanya sendiri (tanda lulus, undangan kalender)."),
       office_field="retention_outbox_body_days"),
    _c("ip_address", _("Alamat IP di jejak audit dan catatan persetujuan"),
       "core.AuditEvent.ip, registrations.Registration.consent_ip",
       _("sejak dicatat"),
       _("Dihapus; rantai jejak audit tetap dapat diverifikasi. Agen pengguna (user agent) "
         "tidak disimpan."),
       office_field="retention_ip_days"),
    _c("sessions", _("Sesi login dan penghitung batas login"),
       "django.contrib.sessions Session, the database cache", _("sejak aktivitas terakhir"),
       _("Sesi dan baris cache yang kedaluwarsa (termasuk penghitung batas login yang memuat "
         "alamat IP) dihapus."),
       setting="SESSION_COOKIE_AGE"),
    _c("audit", _("Jejak audit"),
       "core.AuditEvent", _("sejak dicatat"),
       _("Disimpan tanpa batas sebagai bukti (hanya dapat ditambah); alamat IP-nya dihapus "
         "menurut baris alamat IP."),
       default_days=None),
    _c("incidents", _("Register insiden data pribadi dan penerima pemberitahuannya"),
       "incidents.Incident, incidents.IncidentRecipient", _("sejak dicatat"),
       _("Disimpan tanpa batas sebagai bukti pemberitahuan menurut Pasal 46 UU PDP."),
       default_days=None),
    _c("rights_export", _("Salinan data untuk permintaan hak akses"),
       "ZIP files of the rights requests (privacy app)", _("sejak dibuat"),
       _("Berkas ZIP dihapus."),
       office_field="retention_rights_export_days", optional=True),
]}


def retention_applier(key: str) -> Callable[[Applier], Applier]:
    """Register ``func(*, now) -> [Destroyed]`` as the work done at the end of ``key``'s period."""
    def register(func: Applier) -> Applier:
        appliers = RETENTION[key].appliers
        if func not in appliers:
            appliers.append(func)
        return func
    return register


def retention_days(key: str, office: Office | None) -> int | None:
    """How long ``office`` keeps data of class ``key``, in days (None: without end)."""
    return RETENTION[key].days(office)


def default_office() -> Office | None:
    """Whose periods data of no office follows (None: the safe defaults)."""
    return Office.objects.filter(code=settings.DEFAULT_OFFICE_CODE).first()


def offices_with_days(key: str):
    """Each office with its period for ``key``: what per-office appliers loop over."""
    for office in Office.objects.order_by("pk"):
        yield office, retention_days(key, office)


def per_office(key: str, now: datetime, work: Callable, *, officeless: bool = False,
               **detail) -> list[Destroyed]:
    """Run ``work(office, cutoff) -> count`` for each office with its period for ``key``.

    With ``officeless``, once more for data of no office (``office=None``), which
    follows the default office's period.
    """
    pairs = list(offices_with_days(key))
    if officeless:
        pairs.append((None, retention_days(key, default_office())))
    return [Destroyed(office, work(office, now - timedelta(days=days)), days, dict(detail))
            for office, days in pairs]


def retention_apply(*, now: datetime | None = None) -> dict[str, int]:
    """Run every data class's appliers once and log each destruction with its count.

    One applier's failure is logged and does not stop the others; each
    applier's work and its log entries commit together.
    """
    now = now or timezone.now()
    totals: dict[str, int] = {}
    for data_class in RETENTION.values():
        totals[data_class.key] = 0
        for applier in data_class.appliers:
            try:
                with transaction.atomic():
                    for done in applier(now=now):
                        if not done.count:
                            continue
                        totals[data_class.key] += done.count
                        audit_log(action=DESTROYED_ACTION, office=done.office,
                                  object_type="retention", object_id=data_class.key,
                                  details={"data_class": data_class.key, "count": done.count,
                                           "retention_days": done.days, **done.detail})
            except Exception:
                logger.exception("retention of %s failed", data_class.key)
    RetentionRun.objects.filter(day=timezone.localdate(now)).update(
        finished_at=timezone.now(), totals=totals)
    return totals


def retention_daily(*, now: datetime | None = None) -> bool:
    """Upkeep: queue today's ``retention_apply`` once (office time); False if already queued."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    if RetentionRun.objects.filter(day=day).exists():
        return False
    try:
        with transaction.atomic():
            RetentionRun.objects.create(day=day, queued_at=now)
            enqueue(APPLY_TASK)
    except IntegrityError:  # another worker queued it first
        return False
    return True


def retention_table_markdown() -> str:
    """The table as docs/operations.md shows it (English)."""
    rows = ["| data class | where | kept for | counted | at the end |",
            "|---|---|---|---|---|"]
    with translation.override("en"):
        for c in RETENTION.values():
            rows.append(f"| `{c.key}`: {c.label} | {c.holds} | {_period_text(c)} | "
                        f"{c.clock} | {c.at_end} |")
    return "\n".join(rows)


def _period_text(c: DataClass) -> str:
    default = c.days(None)
    if default is None:
        return "no end"
    where = [f"`Office.{c.office_field}`"] if c.office_field else []
    if c.key == "recordings":
        where = ["`MeetingSettings.recording_retention_days`"]
    if c.setting:
        where.append(f"`{c.setting}`")
    elif c.office_field:
        where.append("default")
    return f"{default} days ({', '.join(where)})"
