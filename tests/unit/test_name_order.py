"""Names are written in the person's own order; names written without spaces are not given one."""

from __future__ import annotations

import pytest

from sclerochart.domain.chart_numbers import next_number, parse, pattern_problem
from sclerochart.domain.names import NameOrder, full_name, list_name, suggested_order

FAMILY, GIVEN = NameOrder.FAMILY_FIRST, NameOrder.GIVEN_FIRST


@pytest.mark.parametrize(
    ("family", "given", "order", "said", "listed"),
    [
        ("Schmidt", "Anna", GIVEN, "Anna Schmidt", "Schmidt, Anna"),
        ("张", "伟", FAMILY, "张伟", "张伟"),
        ("佐藤", "花子", FAMILY, "佐藤花子", "佐藤花子"),
        ("김", "민준", FAMILY, "김민준", "김민준"),
        ("Nguyễn", "Thị Hồng", FAMILY, "Nguyễn Thị Hồng", "Nguyễn Thị Hồng"),
        ("Kovács", "Anna", FAMILY, "Kovács Anna", "Kovács Anna"),
        ("Madonna", "", GIVEN, "Madonna", "Madonna"),
        ("王", "", FAMILY, "王", "王"),
        ("Kim", "민준", FAMILY, "Kim 민준", "Kim 민준"),  # joined without a space only when both are
        ("ｻﾄｳ", "ﾊﾅｺ", FAMILY, "ｻﾄｳﾊﾅｺ", "ｻﾄｳﾊﾅｺ"),  # half-width katakana
    ],
)
def test_names_in_their_order(family: str, given: str, order: NameOrder, said: str, listed: str) -> None:
    assert full_name(family, given, order) == said
    assert list_name(family, given, order) == listed


@pytest.mark.parametrize(
    ("family", "given", "order"),
    [
        ("张", "伟", FAMILY),
        ("佐藤", "花子", FAMILY),
        ("김", "민준", FAMILY),
        ("Nguyễn", "Thị Hồng", GIVEN),
        ("محمد", "علي", GIVEN),
    ],
)
def test_the_order_suggested_for_a_new_patient(family: str, given: str, order: NameOrder) -> None:
    assert suggested_order(family, given) is order


def test_a_pattern_gives_the_next_number_past_the_highest_in_use() -> None:
    pattern = parse("P-####/A")
    assert pattern is not None
    assert next_number(pattern, []) == "P-0001/A"
    assert next_number(pattern, ["P-0009/A", "P-0010/A", "P-00x1/A", "Q-9999/A"]) == "P-0011/A"
    assert next_number(pattern, ["P-9999/A"]) == "P-10000/A"  # wider once the digits run out, never a repeat
    assert pattern_problem("") is None and parse("") is None
    assert pattern_problem("##-##") is not None
