"""A report table: what the page shows, and what the CSV and XLSX exports write.

Each report is built once as a ``Table`` (Indonesian headers, rows of plain values),
so the page and both exports can never disagree about a figure.
"""

import statistics
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils.formats import number_format


@dataclass
class Table:
    key: str  # the export's file name and URL part
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    note: str = ""
    links: list[str | None] = field(default_factory=list)  # per row, shown on the page only

    @property
    def linked_rows(self) -> list[tuple[list, str | None]]:
        """(row, the page its first cell links to or None), for the template."""
        return [(row, self.links[i] if i < len(self.links) else None)
                for i, row in enumerate(self.rows)]


def shown(value: float | None, decimals: int = 1) -> str:
    """A number inside a sentence, written the way the reader's language writes it."""
    return "—" if value is None else number_format(value, decimal_pos=decimals)


def days(delta: timedelta | None) -> float | None:
    """A duration in days, one decimal (what the tables show and export)."""
    return None if delta is None else round(delta.total_seconds() / 86400, 1)


def percentile(values: list[float], q: float) -> float | None:
    """The q-quantile with linear interpolation (PostgreSQL's percentile_cont)."""
    if not values:
        return None
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def rate(part: int, whole: int) -> float | None:
    """A share in percent, one decimal (None when there is nothing to share)."""
    return round(100 * part / whole, 1) if whole else None
