"""IKM by PermenPANRB 14/2017 on a known answer set, worked by hand."""

from decimal import Decimal

import pytest

from tests.survey.conftest import EXAMPLE, answers
from verifikasi.survey.elements import ELEMENTS, category_for, ikm_result


def test_it_computes_the_hand_worked_example():
    """Four respondents (rows of tests/survey/conftest.EXAMPLE):

        U1 = 4+3+3+4 = 14 → NRR 14/4 = 3.50     U6 = 3+4+3+4 = 14 → 3.50
        U2 = 3+3+3+3 = 12 → 3.00                U7 = 4+4+4+4 = 16 → 4.00
        U3 = 3+4+3+3 = 13 → 3.25                U8 = 12 → 3.00
        U4 = 4+4+4+4 = 16 → 4.00                U9 = 12 → 3.00
        U5 = 12 → 3.00

    Σ NRR = 3.50+3.00+3.25+4.00+3.00+3.50+4.00+3.00+3.00 = 30.25
    Σ NRR tertimbang = 30.25 × 1/9 = 3.36111…
    IKM = 3.36111… × 25 = 84.0277… → 84.03, which lies in 76.61–88.30: B (baik).
    """
    result = ikm_result(answers(row) for row in EXAMPLE)
    assert result.respondents == 4
    assert [result.totals[e.code] for e in ELEMENTS] == [14, 12, 13, 16, 12, 14, 16, 12, 12]
    assert [result.nrr[e.code] for e in ELEMENTS] == [
        Decimal("3.5"), 3, Decimal("3.25"), 4, 3, Decimal("3.5"), 4, 3, 3]
    assert round(result.weighted_total, 5) == Decimal("3.36111")
    assert result.ikm == Decimal("84.03")
    assert (result.category.grade, str(result.category.label)) == ("B", "Baik")


@pytest.mark.parametrize("ikm, grade", [
    ("100.00", "A"), ("88.31", "A"), ("88.30", "B"), ("76.61", "B"), ("76.60", "C"),
    ("65.00", "C"), ("64.99", "D"), ("25.00", "D"),
])
def test_it_grades_by_the_regulation_table(ikm, grade):
    assert category_for(Decimal(ikm)).grade == grade


def test_all_best_and_all_worst_answers_are_the_ends_of_the_scale():
    assert ikm_result([answers([4] * 9)]).ikm == Decimal("100.00")
    assert ikm_result([answers([1] * 9)]).ikm == Decimal("25.00")
    assert ikm_result([]) is None


def test_the_nine_elements_have_four_answers_each():
    assert [e.code for e in ELEMENTS] == [f"u{i}" for i in range(1, 10)]
    assert all(len(e.answers) == 4 for e in ELEMENTS)
