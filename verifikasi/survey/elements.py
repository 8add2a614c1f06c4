"""The Survei Kepuasan Masyarakat of PermenPANRB No. 14 Tahun 2017, as plain data and sums.

Nine elements (unsur U1–U9), each answered on a four-point scale (1–4) with the
regulation's own answer words. Per period:

- NRR per element = the element's total ÷ the number of respondents;
- NRR tertimbang = NRR × 1/9 (every element weighs the same);
- IKM = Σ NRR tertimbang × 25 (the 1–4 scale mapped onto 25–100);
- the quality category from the regulation's conversion table.

No database here: the report, the export and the tests share these functions.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Element:
    code: str  # "u1" … "u9": the model field and the column of the export
    name: object
    question: object
    answers: tuple  # the words for 1, 2, 3 and 4


ELEMENTS: tuple[Element, ...] = (
    Element("u1", _("Persyaratan"),
            _("Bagaimana pendapat Anda tentang kesesuaian persyaratan pelayanan dengan "
              "jenis pelayanannya?"),
            (_("Tidak sesuai"), _("Kurang sesuai"), _("Sesuai"), _("Sangat sesuai"))),
    Element("u2", _("Sistem, mekanisme, dan prosedur"),
            _("Bagaimana pemahaman Anda tentang kemudahan prosedur pelayanan di unit ini?"),
            (_("Tidak mudah"), _("Kurang mudah"), _("Mudah"), _("Sangat mudah"))),
    Element("u3", _("Waktu penyelesaian"),
            _("Bagaimana pendapat Anda tentang kecepatan waktu dalam memberikan pelayanan?"),
            (_("Tidak cepat"), _("Kurang cepat"), _("Cepat"), _("Sangat cepat"))),
    Element("u4", _("Biaya/tarif"),
            _("Bagaimana pendapat Anda tentang kewajaran biaya/tarif dalam pelayanan?"),
            (_("Sangat mahal"), _("Cukup mahal"), _("Murah"), _("Gratis"))),
    Element("u5", _("Produk spesifikasi jenis pelayanan"),
            _("Bagaimana pendapat Anda tentang kesesuaian produk pelayanan antara yang "
              "tercantum dalam standar pelayanan dengan hasil yang diberikan?"),
            (_("Tidak sesuai"), _("Kurang sesuai"), _("Sesuai"), _("Sangat sesuai"))),
    Element("u6", _("Kompetensi pelaksana"),
            _("Bagaimana pendapat Anda tentang kompetensi/kemampuan petugas dalam pelayanan?"),
            (_("Tidak kompeten"), _("Kurang kompeten"), _("Kompeten"),
             _("Sangat kompeten"))),
    Element("u7", _("Perilaku pelaksana"),
            _("Bagaimana pendapat Anda tentang perilaku petugas dalam pelayanan terkait "
              "kesopanan dan keramahan?"),
            (_("Tidak sopan dan ramah"), _("Kurang sopan dan ramah"), _("Sopan dan ramah"),
             _("Sangat sopan dan ramah"))),
    Element("u8", _("Penanganan pengaduan, saran, dan masukan"),
            _("Bagaimana pendapat Anda tentang penanganan pengaduan pengguna layanan?"),
            (_("Tidak ada"), _("Ada tetapi tidak berfungsi"), _("Berfungsi kurang maksimal"),
             _("Dikelola dengan baik"))),
    Element("u9", _("Sarana dan prasarana"),
            _("Bagaimana pendapat Anda tentang kualitas sarana dan prasarana pelayanan?"),
            (_("Buruk"), _("Cukup"), _("Baik"), _("Sangat baik"))),
)
CODES = tuple(e.code for e in ELEMENTS)
SCALE = (1, 2, 3, 4)
WEIGHT = Decimal(1) / Decimal(len(ELEMENTS))
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Category:
    grade: str
    label: object
    low: Decimal  # the lowest IKM (converted, 25–100) of the grade


# The conversion table of PermenPANRB 14/2017 (IKM after × 25), best first.
CATEGORIES: tuple[Category, ...] = (
    Category("A", _("Sangat baik"), Decimal("88.31")),
    Category("B", _("Baik"), Decimal("76.61")),
    Category("C", _("Kurang baik"), Decimal("65.00")),
    Category("D", _("Tidak baik"), Decimal("25.00")),
)


def category_for(ikm: Decimal) -> Category:
    """The grade of an IKM already rounded to two places (88.30 is B, 88.31 is A)."""
    for category in CATEGORIES:
        if ikm >= category.low:
            return category
    return CATEGORIES[-1]


@dataclass(frozen=True)
class Result:
    respondents: int
    totals: dict  # code → Σ answers
    nrr: dict  # code → NRR (unrounded Decimal)
    weighted: dict  # code → NRR × 1/9
    weighted_total: Decimal  # Σ NRR tertimbang (1–4)
    ikm: Decimal  # × 25, rounded to two places
    category: Category


def ikm_result(rows) -> Result | None:
    """NRR, NRR tertimbang, IKM and category of ``rows`` (mappings with u1…u9), or None."""
    rows = list(rows)
    if not rows:
        return None
    n = Decimal(len(rows))
    totals = {c: sum(int(row[c]) for row in rows) for c in CODES}
    nrr = {c: Decimal(totals[c]) / n for c in CODES}
    weighted = {c: nrr[c] * WEIGHT for c in CODES}
    weighted_total = sum(weighted.values(), Decimal(0))
    ikm = (weighted_total * 25).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    return Result(len(rows), totals, nrr, weighted, weighted_total, ikm, category_for(ikm))


def rounded(value: Decimal, places: str = "0.01") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)
