"""Folding names for search across scripts and accents."""

from __future__ import annotations

import datetime as dt

from sclerochart.domain.search import fold, parse_date_query, query_words, terms


def test_fold_removes_accents_and_special_letters() -> None:
    assert fold("Zoë Łukasiewicz-Ødegård") == "zoe lukasiewicz-odegard"
    assert fold("Nguyễn Thị Hồng") == "nguyen thi hong"
    assert fold("STRAßE") == "strasse"
    assert fold("Дмитрий") == fold("дмитрий")


def test_terms_cover_each_word_and_the_joined_name() -> None:
    assert {"o", "brien", "obrien"} <= terms("O'Brien")
    assert {"lukasiewicz", "odegard", "lukasiewiczodegard"} <= terms("Łukasiewicz-Ødegård")
    assert {"sc", "000123", "sc000123"} <= terms("SC-000123")


def test_query_words_lead_with_the_longest() -> None:
    assert query_words("zo Łukas") == ["lukas", "zo"]


def test_dates_in_common_spellings() -> None:
    for text in ("1984-03-12", "12.03.1984", "12/03/1984"):
        assert parse_date_query(text) == dt.date(1984, 3, 12)
    assert parse_date_query("1984") is None
    assert parse_date_query("31.02.1984") is None
