"""The register as a CSV file (opens in any spreadsheet), for the office's records and audits."""

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _

from .clock import incident_clock

# A cell a spreadsheet would run as a formula starts with one of these (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _time(value, tz) -> str:
    return timezone.localtime(value, tz).strftime("%Y-%m-%d %H:%M") if value else ""


def register_csv(incidents) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([_("Kode"), _("Kantor"), _("Judul"), _("Waktu kejadian"),
                     _("Waktu diketahui"), _("Tenggat pemberitahuan"),
                     _("Data pribadi yang terdampak"), _("Jumlah orang terdampak"),
                     _("Uraian kejadian"), _("Penanganan dan pemulihan"),
                     _("Pemberitahuan subjek data dikirim"), _("Jumlah penerima"),
                     _("Dikirim ke lembaga"), _("Nomor surat atau bukti kirim"),
                     _("Status tenggat"), _("Dicatat oleh")])
    for incident in incidents:
        tz = incident.office.tzinfo
        clock = incident_clock(incident)
        writer.writerow([_cell(v) for v in [
            incident.code, incident.office.short_name, incident.title,
            _time(incident.occurred_at, tz), _time(incident.discovered_at, tz),
            _time(clock.deadline, tz), "; ".join(incident.get_affected_data_display()),
            incident.affected_count, incident.description, incident.measures,
            _time(incident.people_sent_at, tz), incident.recipient_count,
            incident.authority_sent_on or "", incident.authority_reference, clock.text,
            incident.recorded_by.email]])
    return "\ufeff" + buf.getvalue()  # the BOM makes Excel read UTF-8
