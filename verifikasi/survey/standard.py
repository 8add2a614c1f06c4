"""The office's Standar Pelayanan: its default text, reading it, and the admin's edit.

The default is built from the office's own procedure (sections B and C of the
written Tata Cara) and its Lampiran 1 checklist, so a new office publishes a
sensible standard before its admin has touched it. The text is the office's
data (Indonesian, as the office publishes it), not a translated string.
"""

from django.db import transaction

from verifikasi.core.audit import audit_log
from verifikasi.registrations import workflow

from .models import ServiceStandard

LAPOR_URL = "https://www.lapor.go.id"
EDITABLE = ("legal_basis", "requirements", "procedure", "service_days", "cost", "product",
            "complaints", "facilities", "competence")

DEFAULT_LEGAL_BASIS = "\n".join([
    "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik;",
    "Peraturan Lembaga Kebijakan Pengadaan Barang/Jasa Pemerintah Nomor 14 Tahun 2018 "
    "tentang Unit Kerja Pengadaan Barang/Jasa;",
    "Peraturan Menteri PANRB Nomor 15 Tahun 2014 tentang Pedoman Standar Pelayanan;",
    "Peraturan Menteri PANRB Nomor 14 Tahun 2017 tentang Pedoman Penyusunan Survei Kepuasan "
    "Masyarakat;",
    "Surat Edaran Deputi Bidang Monitoring-Evaluasi dan Pengembangan Sistem Informasi LKPP "
    "Nomor 2 Tahun 2020 tentang Syarat Dokumen Pembuatan Akun SPSE Bagi Pelaku Usaha.",
])

DEFAULT_PROCEDURE = "\n".join([
    "Pelaku Usaha mendaftar dan mengisi data perusahaan di SPSE ({spse_url}).",
    "Pelaku Usaha membuat akun di aplikasi Verifikasi Daring, mengisi data perusahaan, "
    "mengunggah dokumen persyaratan (pindaian PDF atau foto), mengusulkan tanggal "
    "verifikasi dan mengirim permohonan.",
    "Verifikator memeriksa kelengkapan dokumen; bila belum lengkap, verifikator menjelaskan "
    "dokumen yang kurang atau tidak sesuai dan Pelaku Usaha mengunggah ulang dokumen itu.",
    "Bila dokumen lengkap, tim verifikator menetapkan jadwal dan mengirim tautan video call "
    "melalui email.",
    "Pada video call Pelaku Usaha menunjukkan dokumen asli; video call direkam sebagai "
    "bukti pelaksanaan verifikasi.",
    "Bila sesuai, verifikator menyetujui akun di SPSE dan mengirim Tanda Lulus Verifikasi "
    "ke email Pelaku Usaha; bila belum sesuai, verifikator menjelaskan kekurangannya dan, "
    "bila perlu, menjadwalkan ulang.",
    "Pelaku Usaha mengonfirmasi penerimaan Tanda Lulus Verifikasi; proses verifikasi "
    "selesai.",
])

DEFAULT_PRODUCT = ("Akun SPSE yang terverifikasi dan Tanda Lulus Verifikasi (PDF bertanda "
                   "tangan elektronik, dapat dicek keasliannya di halaman Cek Tanda Lulus).")

DEFAULT_FACILITIES = ("Aplikasi Verifikasi Daring (dapat dibuka dari komputer atau "
                      "smartphone), video call, email tim verifikator.")

DEFAULT_COMPETENCE = ("Verifikator LPSE yang memahami persyaratan pendaftaran akun SPSE dan "
                      "ketentuan pengadaan barang/jasa pemerintah.")


def _requirements(office) -> str:
    lines = []
    for dt in office.document_types.filter(active=True):
        when = "" if dt.condition == "always" else f" ({dt.get_condition_display().lower()})"
        lines.append(f"{dt.name}{when}: {dt.description}" if dt.description else
                     f"{dt.name}{when}")
    return "\n".join(lines) or "Dokumen sesuai Lampiran 1 Tata Cara Verifikasi Daring."


def _complaints(office) -> str:
    lines = [f"Email tim verifikator: {office.reply_to_email}"]
    if office.phone:
        lines.append(f"Telepon: {office.phone}")
    if office.address:
        lines.append(f"Datang langsung: {office.address}")
    lines.append(f"SP4N-LAPOR!: {LAPOR_URL}")
    lines.append("Survei Kepuasan Masyarakat sesudah layanan selesai.")
    return "\n".join(lines)


def service_standard_default(office) -> ServiceStandard:
    """The standard an office publishes until its admin edits it (not saved)."""
    return ServiceStandard(
        office=office, legal_basis=DEFAULT_LEGAL_BASIS, requirements=_requirements(office),
        procedure=DEFAULT_PROCEDURE.format(spse_url=office.spse_url),
        service_days=office.sla_working_days, cost="Tidak dipungut biaya",
        product=DEFAULT_PRODUCT, complaints=_complaints(office),
        facilities=DEFAULT_FACILITIES, competence=DEFAULT_COMPETENCE)


def service_standard_for(office) -> ServiceStandard:
    """The office's saved standard, or its default.

    The service time is the office's own ``sla_working_days``, the number the queue's
    clock counts down (registrations.sla), so what is published is what is measured.
    """
    standard = ServiceStandard.objects.filter(office=office).first() or \
        service_standard_default(office)
    standard.service_days = office.sla_working_days
    return standard


# The public page: each text as its lines (one item per line), the procedure numbered.
LISTED = ("legal_basis", "requirements", "procedure", "product", "complaints", "facilities",
          "competence")


def service_standard_sections(standard: ServiceStandard) -> dict:
    """``{field: {"label", "lines", "ordered"}}`` for the public page (empty texts left out)."""
    sections = {}
    for name in LISTED:
        lines = [line.strip() for line in getattr(standard, name).splitlines() if line.strip()]
        if lines:
            sections[name] = {"label": ServiceStandard._meta.get_field(name).verbose_name,
                              "lines": lines, "ordered": name == "procedure"}
    return sections


def service_standard_save(*, office, actor, values: dict, request=None) -> ServiceStandard:
    """The office admin publishes a new text of the standard; the change is audited.

    Everything is validated before anything is written: bad input changes nothing.
    """
    workflow.require_office("edit_service_standard", office, actor)
    with transaction.atomic():
        standard = ServiceStandard.objects.select_for_update().filter(office=office).first() \
            or service_standard_default(office)
        if standard.pk:
            standard.service_days = office.sla_working_days
        before = {f: getattr(standard, f) for f in EDITABLE} if standard.pk else {}
        for name in EDITABLE:
            value = values.get(name)
            setattr(standard, name, value.strip() if isinstance(value, str) else value)
        standard.updated_by = actor
        standard.full_clean(exclude=["office"])
        standard.save()
        # One number for the published time and the SLA clock (registrations.sla).
        type(office).objects.filter(pk=office.pk).update(sla_working_days=standard.service_days)
        office.sla_working_days = standard.service_days
        changed = sorted(f for f in EDITABLE if before.get(f) != getattr(standard, f))
        audit_log(action="survey.service_standard_changed", actor=actor, office=office,
                  object_type="survey.servicestandard", object_id=office.code,
                  request=request, details={"fields": changed})
    return standard

