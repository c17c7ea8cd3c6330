"""Dates that follow from a treatment (DOMAIN.md §2): interval to the next session, compression, results."""

from __future__ import annotations

import calendar
import datetime as dt
import math
from dataclasses import dataclass

from sclerochart.domain.dose import Finding
from sclerochart.domain.values import Compression, Severity

DEFAULT_INTERVAL_WEEKS = 6
"""Wait about six weeks before the next session (DOMAIN.md §2, [brief]); a clinic setting."""

INTERVAL_SOURCE = (
    "About six weeks between sessions: usual practice; a clinic setting (Clinic settings → Treatment). "
    "Labels allow 1–2 weeks (Asclera) or 5 days (Varithena)."
)

SPIDER_VEINS_WEEKS = (3, 6)
"""Spider veins respond in 3–6 weeks (DOMAIN.md §2)."""

LARGER_VEINS_MONTHS = (3, 4)
"""Larger veins respond in 3–4 months (DOMAIN.md §2)."""

FINAL_RESULT_MONTHS = 3
"""The final cosmetic result is seen at about three months (DOMAIN.md §2)."""


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it is shorter (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def earliest_next_session(treated_on: dt.date, interval_weeks: int) -> dt.date:
    """The first day the next session is due by the clinic's interval setting."""
    return treated_on + dt.timedelta(weeks=interval_weeks)


def interval_finding(previous: dt.datetime | None, starting: dt.datetime, interval_weeks: int) -> Finding | None:
    """A warning (never a block) when a session starts sooner than the interval after the previous one."""
    if previous is None or interval_weeks <= 0:
        return None
    due = earliest_next_session(previous.date(), interval_weeks)
    if starting.date() >= due:
        return None
    days = (starting.date() - previous.date()).days
    when = "earlier today" if days == 0 else f"{days} day{'s' if days != 1 else ''} ago"
    return Finding(
        Severity.CAUTION,
        "interval",
        f"The last session was {when} ({previous.date().isoformat()}); "
        f"the clinic's interval is {interval_weeks} weeks (next due {due.isoformat()}).",
        INTERVAL_SOURCE,
    )


def compression_first_day(treated_on: dt.date, compression: Compression) -> dt.date:
    """Day 1 of the days of compression: the day the hours without removal end (the treatment day when none).

    Treated on the 1st with 24 hours without removal, day 1 is the 2nd; with 48 or 72 hours, the 3rd or the 4th.
    """
    return treated_on + dt.timedelta(days=math.ceil(compression.continuous_hours / 24))


def compression_last_day(treated_on: dt.date, compression: Compression) -> dt.date:
    """The last day stockings are worn.

    The first `continuous_hours` (24) are worn without removal, then the stockings stay on for `days`
    (14) days counted from the day those hours end: treated on the 1st, the 24 hours end on the 2nd and the
    14 days run from the 2nd to the 15th.
    """
    return compression_first_day(treated_on, compression) + dt.timedelta(days=max(compression.days - 1, 0))


@dataclass(frozen=True)
class HandoutDates:
    """The patient's own dates printed on the aftercare handout."""

    treated_on: dt.date
    continuous_until: dt.datetime
    compression_until: dt.date
    spider_veins_from: dt.date
    spider_veins_to: dt.date
    larger_veins_from: dt.date
    larger_veins_to: dt.date
    final_result: dt.date
    next_session_from: dt.date


def handout_dates(started_at: dt.datetime, compression: Compression, interval_weeks: int) -> HandoutDates:
    """Every date the handout needs, from the session's start."""
    day = started_at.date()
    return HandoutDates(
        treated_on=day,
        continuous_until=started_at + dt.timedelta(hours=compression.continuous_hours),
        compression_until=compression_last_day(day, compression),
        spider_veins_from=day + dt.timedelta(weeks=SPIDER_VEINS_WEEKS[0]),
        spider_veins_to=day + dt.timedelta(weeks=SPIDER_VEINS_WEEKS[1]),
        larger_veins_from=add_months(day, LARGER_VEINS_MONTHS[0]),
        larger_veins_to=add_months(day, LARGER_VEINS_MONTHS[1]),
        final_result=add_months(day, FINAL_RESULT_MONTHS),
        next_session_from=earliest_next_session(day, interval_weeks),
    )


def compression_wording(compression: Compression) -> str:
    """The prescription in words (DOMAIN.md §2), as the report and the handout print it."""
    first = f"{compression.continuous_hours} hours without removing them, then " if compression.continuous_hours else ""
    plural = "s" if compression.days != 1 else ""
    if compression.nights_too:
        rest = f"{compression.days} day{plural} and night{plural}"
    else:
        rest = f"{compression.days} day{plural} at all times except when sleeping"
    return f"{compression.stocking}: {first}{rest}."


def age_on(born: dt.date, day: dt.date) -> int:
    """Age in whole years on a day."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(day: dt.date) -> str:
    """A date as a patient reads it, "Monday 7 December 2026", in English whatever the computer's locale."""
    return f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def long_time(moment: dt.datetime) -> str:
    """A day and time as a patient reads it, "Tuesday 24 November 2026 at 14:30"."""
    return f"{long_date(moment.date())} at {moment:%H:%M}"
