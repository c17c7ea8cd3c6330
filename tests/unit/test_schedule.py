"""Interval rule and the handout's dates, across month and year ends."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sclerochart.domain.handout import compression_days_counted
from sclerochart.domain.schedule import (
    add_months,
    age_on,
    compression_first_day,
    compression_last_day,
    compression_wording,
    earliest_next_session,
    handout_dates,
    interval_finding,
    long_date,
)
from sclerochart.domain.values import Compression, Severity


def test_add_months_clamps_to_the_end_of_a_shorter_month() -> None:
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2028, 1, 31), 1) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 12, 15), 1) == dt.date(2027, 1, 15)


def test_compression_defaults_run_fourteen_days_after_the_first_day() -> None:
    assert compression_last_day(dt.date(2026, 12, 25), Compression()) == dt.date(2027, 1, 8)


def test_handout_dates_across_the_year_end() -> None:
    dates = handout_dates(dt.datetime(2026, 12, 20, 16, 0), Compression(), 6)
    assert dates.continuous_until == dt.datetime(2026, 12, 21, 16, 0)
    assert dates.compression_until == dt.date(2027, 1, 3)
    assert dates.spider_veins_from == dt.date(2027, 1, 10)
    assert dates.spider_veins_to == dt.date(2027, 1, 31)
    assert dates.larger_veins_from == dt.date(2027, 3, 20)
    assert dates.larger_veins_to == dt.date(2027, 4, 20)
    assert dates.final_result == dt.date(2027, 3, 20)
    assert dates.next_session_from == dt.date(2027, 1, 31)


def test_interval_warns_but_does_not_block_a_session_too_soon() -> None:
    previous = dt.datetime(2026, 10, 1, 9, 0)
    finding = interval_finding(previous, dt.datetime(2026, 10, 29, 9, 0), 6)
    assert finding is not None
    assert finding.severity is Severity.CAUTION
    assert "28 days ago" in finding.message and "6 weeks" in finding.message
    assert interval_finding(previous, dt.datetime(2026, 11, 12, 9, 0), 6) is None
    assert interval_finding(None, dt.datetime(2026, 11, 12), 6) is None
    assert interval_finding(previous, dt.datetime(2026, 10, 2), 0) is None
    same_day = interval_finding(previous, dt.datetime(2026, 10, 1, 15, 0), 6)
    assert same_day is not None and "The last session was earlier today (2026-10-01)" in same_day.message
    assert "1 day ago" in str(interval_finding(previous, dt.datetime(2026, 10, 2, 8, 0), 6))


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)), st.integers(0, 48))
def test_add_months_never_overshoots_the_target_month(day: dt.date, months: int) -> None:
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day <= day.day


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)), st.integers(1, 52))
def test_next_session_is_exactly_the_interval_later(day: dt.date, weeks: int) -> None:
    assert (earliest_next_session(day, weeks) - day).days == weeks * 7


def test_compression_wording_follows_the_prescription() -> None:
    assert compression_wording(Compression()) == (
        "Graduated compression stockings: 24 hours without removing them, then 14 days at all times except when"
        " sleeping."
    )
    assert compression_wording(Compression("Class II stockings", 0, 1, True)) == (
        "Class II stockings: 1 day and night."
    )


def test_age_counts_whole_years_up_to_the_birthday() -> None:
    assert age_on(dt.date(1980, 2, 29), dt.date(2024, 2, 28)) == 43
    assert age_on(dt.date(1980, 2, 29), dt.date(2024, 2, 29)) == 44
    assert age_on(dt.date(1980, 12, 31), dt.date(2025, 1, 1)) == 44


@pytest.mark.parametrize(
    ("hours", "days", "first", "last", "start"),
    [
        (24, 14, dt.date(2026, 11, 24), dt.date(2026, 12, 7), "the day after the treatment"),
        (48, 14, dt.date(2026, 11, 25), dt.date(2026, 12, 8), "the day the first 48 hours end"),
        (72, 10, dt.date(2026, 11, 26), dt.date(2026, 12, 5), "the day the first 72 hours end"),
        (0, 7, dt.date(2026, 11, 23), dt.date(2026, 11, 29), "the day of the treatment"),
    ],
)
def test_the_days_of_compression_start_when_the_hours_without_removal_end(
    hours: int, days: int, first: dt.date, last: dt.date, start: str
) -> None:
    prescription = Compression(continuous_hours=hours, days=days)
    treated = dt.date(2026, 11, 23)
    assert compression_first_day(treated, prescription) == first
    assert compression_last_day(treated, prescription) == last
    sentence = compression_days_counted(treated, prescription)
    assert f"counted from {start}: day 1 is {long_date(first)}" in sentence
    assert f"day {days} (the last) is {long_date(last)}" in sentence
