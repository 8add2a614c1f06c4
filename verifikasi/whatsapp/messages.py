"""Which emails also go out on WhatsApp, as which approved template, with which text.

WhatsApp only delivers business-initiated messages as templates the office had
approved by Meta beforehand; the office may rename each one in its settings.
Each body parameter is plain text taken from the email's context (a template
parameter may not be empty, so a missing value becomes "-"). docs/deploy.md
gives the template texts to submit, with the same numbered parameters.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.urls import reverse
from django.utils import dateformat, translation
from django.utils.translation import gettext_lazy as _

Param = Callable[[dict], object]


@dataclass(frozen=True)
class Message:
    key: str
    email_template: str
    default_template: str
    label: str
    params: tuple[tuple[str, Param], ...]
    when: Callable[[dict], bool] = lambda context: True


def _reg(attr: str) -> Param:
    return lambda c: getattr(c.get("registration"), attr, "")


def _when(context: dict) -> str:
    """The appointment's start in the office's zone: "Senin, 7 Desember 2026 09.00 WIB"."""
    appointment, office = context.get("appointment"), context.get("office")
    start = getattr(appointment, "start", None)
    if start is None or office is None:
        return ""
    with translation.override("id"):
        text = dateformat.format(start.astimezone(office.tzinfo), "l, j F Y H.i")
    return f"{text} {office.timezone_label}"


def _deadline(context: dict) -> str:
    """The deficiency deadline: the context's own, else the registration's."""
    value = context.get("deadline") or getattr(
        context.get("registration"), "revision_deadline", None)
    if isinstance(value, datetime | date):
        with translation.override("id"):
            return dateformat.format(value, "l, j F Y")
    return value or ""


def _link(name: str) -> Param:
    return lambda c: f"{settings.SITE_URL}{reverse(name)}"


NAME = (_("nama"), _reg("director_name"))
COMPANY = (_("perusahaan"), _reg("company_name"))
HOME = (_("tautan"), _link("vendor_home"))
WHEN = (_("waktu"), _when)

MESSAGES: tuple[Message, ...] = (
    Message("revision_requested", "revision_requested", "verifikasi_perbaikan_dokumen",
            _("Kekurangan dokumen dikirim"), (NAME, COMPANY, HOME)),
    Message("appointment_confirmed", "appointment_confirmed", "verifikasi_jadwal_dikonfirmasi",
            _("Jadwal dikonfirmasi"), (NAME, COMPANY, WHEN, HOME)),
    Message("appointment_offered", "appointment_offered", "verifikasi_jadwal_pengganti",
            _("Jadwal pengganti ditawarkan"), (NAME, COMPANY, HOME)),
    Message("appointment_reminder_24h", "appointment_reminder", "verifikasi_pengingat_24_jam",
            _("Pengingat video call 24 jam sebelumnya"), (NAME, WHEN, HOME),
            when=lambda c: c.get("kind") == "24h"),
    Message("appointment_reminder_1h", "appointment_reminder", "verifikasi_pengingat_1_jam",
            _("Pengingat video call 1 jam sebelumnya"), (NAME, WHEN, HOME),
            when=lambda c: c.get("kind") == "1h"),
    Message("certificate_issued", "certificate_issued", "verifikasi_tanda_lulus",
            _("Tanda lulus diterbitkan"),
            (NAME, COMPANY, (_("nomor tanda lulus"),
                             lambda c: getattr(c.get("certificate"), "number", "")), HOME)),
    # The email comes with the deficiency deadline (issue 20); until it exists
    # this row simply never matches.
    Message("revision_deadline_reminder", "revision_deadline_reminder",
            "verifikasi_batas_waktu_perbaikan", _("Pengingat batas waktu perbaikan"),
            (NAME, COMPANY, (_("batas waktu"), _deadline), HOME)),
)

BY_KEY = {m.key: m for m in MESSAGES}


def messages_for(email_template: str, context: dict) -> list[Message]:
    return [m for m in MESSAGES if m.email_template == email_template and m.when(context)]


def message_parameters(message: Message, context: dict) -> list[str]:
    """The body parameters as WhatsApp takes them: single-line text, never empty."""
    values = []
    for _label, get in message.params:
        try:
            value = get(context)
        except (AttributeError, KeyError, TypeError, ValueError):  # missing: the text says "-"
            value = ""
        text = " ".join(str(value or "").split())[:1000]
        values.append(text or "-")
    return values
