"""The two written notices Pasal 46 ayat (2) asks for, drafted from the incident.

Each names the personal data disclosed, when and how it was disclosed, and the
handling and recovery efforts. Staff edit the drafts before sending; the
authority's notice is also offered as a PDF letter on the office letterhead.
"""

import io

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

from verifikasi.core.letterhead import FONT, draw_letterhead
from verifikasi.notifications.services import render_plain_text

DEFAULT_AUTHORITY = "Lembaga Pelindungan Data Pribadi (Kementerian Komunikasi dan Digital)"


def _when(value, office) -> str:
    local = timezone.localtime(value, office.tzinfo)
    return f"{formats.date_format(local, 'j F Y, H:i')} {office.timezone_label}"


def _context(incident) -> dict:
    office = incident.office
    return {"incident": incident, "office": office,
            "occurred": _when(incident.occurred_at, office),
            "discovered": _when(incident.discovered_at, office)}


def _clean(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    out = []
    for line in lines:  # at most one empty line in a row
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out)


def people_notice_draft(incident) -> tuple[str, str]:
    """Subject and text of the email to the affected people (in Indonesian, whoever drafts)."""
    with translation.override(settings.LANGUAGE_CODE):
        context = _context(incident)
        subject = " ".join(render_plain_text("incidents/notices/people_subject.txt",
                                             context).split())
        return subject[:200], _clean(render_plain_text("incidents/notices/people.txt",
                                                       context))


def authority_notice_draft(incident, *, authority_name: str = "") -> str:
    """The letter to the authority, with the state of the people's notice as it is now."""
    with translation.override(settings.LANGUAGE_CODE):
        return _authority_draft(incident, authority_name)


def _authority_draft(incident, authority_name: str) -> str:
    office = incident.office
    contact = incident.recorded_by
    context = {
        **_context(incident),
        "authority_name": authority_name or incident.authority_name or DEFAULT_AUTHORITY,
        "people_sent": _when(incident.people_sent_at, office) if incident.people_sent_at
        else "",
        "recipients": incident.recipients.count(),
        "contact_name": contact.get_full_name(), "contact_email": contact.email,
        "place_date": formats.date_format(timezone.localdate(timezone.now(), office.tzinfo),
                                          "j F Y"),
    }
    return _clean(render_plain_text("incidents/notices/authority.txt", context))


def authority_notice_pdf(incident) -> bytes:
    """The authority's notice as an A4 letter on the office letterhead."""
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4)
    pdf.setTitle(_("Pemberitahuan kegagalan pelindungan data pribadi"))
    width, height = A4
    margin, size, leading = 20 * mm, 10.5, 14.5
    y = draw_letterhead(pdf, incident.office, top_y=height - margin, margin=margin)
    pdf.setFont(FONT, size)
    for paragraph in incident.authority_body.splitlines() or [""]:
        for line in simpleSplit(paragraph, FONT, size, width - 2 * margin) or [""]:
            if y < margin + leading:
                pdf.showPage()
                pdf.setFont(FONT, size)
                y = height - margin
            pdf.drawString(margin, y, line)
            y -= leading
    pdf.save()
    return buf.getvalue()
