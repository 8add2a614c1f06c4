"""Every report table as CSV (UTF-8 with a BOM, so spreadsheets read the accents) and XLSX."""

import csv
import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font

from .tables import Table

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _cell(value):
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else value


def table_csv(table: Table, heading: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in heading:
        writer.writerow([line])
    writer.writerow([str(h) for h in table.headers])
    for row in table.rows:
        writer.writerow([_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode()


def table_xlsx(table: Table, heading: list[str]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = table.title[:31].replace("/", "-").replace(":", " ")
    for line in heading:
        sheet.append([line])
    sheet.append([str(h) for h in table.headers])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([v if v is None or isinstance(v, int | float | date) else str(v)
                      for v in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column[len(heading):] or column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
