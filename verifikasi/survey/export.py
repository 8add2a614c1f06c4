"""The SKM as the XLSX offices submit: per respondent U1..U9, then NRR, IKM and mutu.

Sheet "Pengolahan Data" follows the processing table of PermenPANRB 14/2017
(Lampiran, "Pengolahan Data Survei Kepuasan Masyarakat per Responden dan per
Unsur Pelayanan"): one row per respondent, then Σ nilai per unsur, NRR per
unsur, NRR tertimbang per unsur, the IKM of the unit, IKM × 25 and the quality
of the service. Sheet "Saran" holds the suggestions, without anything else.
"""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from .elements import CODES, ELEMENTS, Result, rounded

BOLD = Font(bold=True)


def survey_xlsx(*, office, period, rows: list[dict], result: Result | None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Pengolahan Data"
    ws.append([_("Pengolahan Data Survei Kepuasan Masyarakat per Responden dan per Unsur "
                 "Pelayanan")])
    ws.append([_("Unit pelayanan"), office.name])
    ws.append([_("Periode"), period.label])
    ws.append([])
    header = [_("No. Responden"), *[c.upper() for c in CODES]]
    ws.append(header)
    for cell in ws[ws.max_row]:
        cell.font = BOLD
        cell.alignment = Alignment(horizontal="center")
    for number, row in enumerate(rows, start=1):
        ws.append([number, *[row[c] for c in CODES]])
    if result is not None:
        ws.append([_("Σ Nilai per unsur"), *[result.totals[c] for c in CODES]])
        ws.append([_("NRR per unsur"), *[float(rounded(result.nrr[c], "0.001"))
                                         for c in CODES]])
        ws.append([_("NRR tertimbang per unsur"),
                   *[float(rounded(result.weighted[c], "0.001")) for c in CODES]])
        ws.append([_("IKM unit pelayanan (Σ NRR tertimbang)"),
                   float(rounded(result.weighted_total, "0.001"))])
        ws.append([_("IKM × 25 (nilai konversi)"), float(result.ikm)])
        ws.append([_("Mutu pelayanan"),
                   f"{result.category.grade} ({result.category.label})"])
        for line in ws.iter_rows(min_row=ws.max_row - 5, max_row=ws.max_row, max_col=1):
            line[0].font = BOLD
    ws.append([])
    ws.append([_("Keterangan")])
    for element in ELEMENTS:
        ws.append([element.code.upper(), str(element.name)])
    ws.column_dimensions["A"].width = 40

    notes = wb.create_sheet("Saran")
    notes.append([_("Saran dan masukan")])
    notes["A1"].font = BOLD
    for row in rows:
        if row.get("suggestion"):
            notes.append([row["suggestion"]])
    notes.column_dimensions["A"].width = 100

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
