"""A registration's statuses and the groups of them the queue, reports and lifecycle use."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegistrationStatus(models.TextChoices):
    """The registration lifecycle (DESIGN: one state machine, in workflow.py)."""

    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    REVISION_REQUESTED = "revision_requested", _("Perlu perbaikan")
    DOCUMENTS_ACCEPTED = "documents_accepted", _("Dokumen diterima")
    SCHEDULED = "scheduled", _("Terjadwal")
    VERIFIED = "verified", _("Lulus verifikasi")
    CERTIFICATE_SENT = "certificate_sent", _("Tanda lulus dikirim")
    COMPLETED = "completed", _("Selesai")
    WITHDRAWN = "withdrawn", _("Dibatalkan")
    REJECTED = "rejected", _("Ditolak")
    # The deficiency deadline passed without a resubmission (issue 20).
    LAPSED = "lapsed", _("Gugur")


CLOSED_STATUSES = [RegistrationStatus.COMPLETED, RegistrationStatus.WITHDRAWN,
                   RegistrationStatus.REJECTED, RegistrationStatus.LAPSED]
OPEN_STATUSES = [s for s in RegistrationStatus.values if s not in CLOSED_STATUSES]


# What the office still has to move (the reports' backlog): every open status but the draft.
BACKLOG_STATUSES = [s for s in OPEN_STATUSES if s != RegistrationStatus.DRAFT]


# What a verifier has to act on: the queue's default view (registrations.staff_queue),
# with partial indexes of its own because it is a quarter of an office's rows and the
# newest quarter (closed registrations wait longest, so a walk from the oldest would
# read every closed one first).
ACTIONABLE_STATUSES = [
    RegistrationStatus.SUBMITTED, RegistrationStatus.DOCUMENTS_ACCEPTED,
    RegistrationStatus.SCHEDULED, RegistrationStatus.VERIFIED,
    RegistrationStatus.CERTIFICATE_SENT,
]


class BusinessForm(models.TextChoices):
    PT = "pt", _("Perseroan Terbatas (PT)")
    PT_PERORANGAN = "pt_perorangan", _("Perseroan Perorangan")
    CV = "cv", _("Persekutuan Komanditer (CV)")
    FIRMA = "firma", _("Firma")
    KOPERASI = "koperasi", _("Koperasi")
    PERORANGAN = "perorangan", _("Usaha Perorangan")
    KONSULTAN_PERORANGAN = "konsultan_perorangan", _("Konsultan Perorangan")
    YAYASAN = "yayasan", _("Yayasan")
    LAINNYA = "lainnya", _("Lainnya")
