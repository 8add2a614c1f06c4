"""The vendor's view of where their registration stands, step by step (spec B and C)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import Registration
from .models import RegistrationStatus as S


@dataclass
class Step:
    spec: str
    title: str
    state: str  # "done", "current", "next"
    note: str = ""
    whose: str = "vendor"  # who acts in this step: "vendor" or "team"

    @property
    def vendors_turn(self) -> bool:
        return self.state == "current" and self.whose == "vendor"


VENDOR, TEAM = "vendor", "team"
# Each step, the statuses in which it is already done, and who acts in it.
STEPS = [
    ("B.2", _("Daftar akun SPSE dan akun ini"), None, VENDOR),
    ("B.2, B.7", _("Isi data perusahaan"), "company", VENDOR),
    ("B.4–B.7", _("Unggah dokumen persyaratan (Lampiran 1)"), "documents", VENDOR),
    ("B.8", _("Setujui pemberitahuan privasi dan ajukan"), [S.SUBMITTED], VENDOR),
    ("C.3", _("Pemeriksaan kelengkapan dokumen oleh verifikator"), [S.DOCUMENTS_ACCEPTED], TEAM),
    ("B.8.a–c", _("Jadwal verifikasi disetujui tim verifikator"), [S.SCHEDULED], TEAM),
    ("C.4–C.5", _("Verifikasi dokumen asli melalui video call (direkam)"), [S.VERIFIED], VENDOR),
    ("C.6", _("Persetujuan di SPSE dan tanda lulus verifikasi dikirim"), [S.CERTIFICATE_SENT],
     TEAM),
    ("C.7–C.10", _("Konfirmasi penerimaan — proses selesai"), [S.COMPLETED], VENDOR),
]
ORDER = [S.DRAFT, S.SUBMITTED, S.REVISION_REQUESTED, S.DOCUMENTS_ACCEPTED, S.SCHEDULED,
         S.VERIFIED, S.CERTIFICATE_SENT, S.COMPLETED]
RANK = {S.DRAFT: 0, S.SUBMITTED: 1, S.REVISION_REQUESTED: 1, S.DOCUMENTS_ACCEPTED: 2,
        S.SCHEDULED: 3, S.VERIFIED: 4, S.CERTIFICATE_SENT: 5, S.COMPLETED: 6}


def registration_timeline(registration: Registration, *, company_done: bool,
                          documents_done: bool) -> list[Step]:
    rank = RANK.get(registration.status, 0)
    steps: list[Step] = []
    for spec, title, done_when, whose in STEPS:
        if done_when is None:
            done = True
        elif done_when == "company":
            done = company_done or rank >= 1
        elif done_when == "documents":
            done = documents_done or rank >= 1
        else:
            done = rank >= RANK[done_when[0]]
        steps.append(Step(spec, str(title), "done" if done else "next", whose=whose))
    current = next((s for s in steps if s.state == "next"), None)
    if current is not None and registration.is_open:
        current.state = "current"
        if registration.status == S.REVISION_REQUESTED:
            # The verifier has answered; fixing the documents is the vendor's turn.
            current.whose = VENDOR
            current.note = str(_("Verifikator meminta perbaikan: lihat daftar perbaikan di atas."))
    return steps
