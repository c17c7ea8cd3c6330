"""The aftercare handout's editable text: its sections, the placeholders it may use, and how it is filled in.

A clinic writes each section as plain text: a blank line starts a new paragraph, a line starting with "- "
is a bullet point, and a placeholder such as {next_session} is replaced by the patient's own value.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Mapping
from dataclasses import dataclass

from sclerochart.domain.schedule import compression_first_day, compression_last_day, long_date
from sclerochart.domain.values import Compression

MAX_SECTION_LENGTH = 3000
"""Characters a section may hold; the whole handout should stay on one or two pages."""


@dataclass(frozen=True)
class HandoutSection:
    """One editable part of the handout and the heading it is printed under."""

    key: str
    title: str
    heading: str


SECTIONS: tuple[HandoutSection, ...] = (
    HandoutSection("handout_intro", "Introduction", ""),
    HandoutSection("handout_expect", "What to expect", "What to expect"),
    HandoutSection("handout_next", "Next treatment", "Your next treatment"),
    HandoutSection("handout_activity", "Activity", "Staying active"),
    HandoutSection("handout_call_us", "When to call the clinic", "When to call us"),
    HandoutSection("handout_emergency", "When to get emergency care", "When to get emergency help"),
)

PLACEHOLDERS: dict[str, str] = {
    "patient_name": "the patient's name",
    "treatment_date": "the day of the treatment",
    "stockings_until": "the last day of compression",
    "spider_veins_from": "treatment day + 3 weeks",
    "spider_veins_to": "treatment day + 6 weeks",
    "larger_veins_from": "treatment day + 3 months",
    "larger_veins_to": "treatment day + 4 months",
    "final_result": "treatment day + 3 months",
    "next_session": "the earliest day for the next session (clinic interval)",
    "clinic_name": "the clinic's name",
    "clinic_phone": "the clinic's phone number",
}
"""Every placeholder a section may use, with what it is replaced by (dates from domain.schedule)."""


def template_problem(text: str) -> str | None:
    """What is wrong with a section's text, in words for the settings dialog, or None when it can be used."""
    if len(text) > MAX_SECTION_LENGTH:
        return f"is {len(text)} characters long; at most {MAX_SECTION_LENGTH} fit on the handout."
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError:
        return "has a { or } without its pair. Write a placeholder as {next_session}, or leave the braces out."
    for _literal, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in PLACEHOLDERS or spec or conversion:
            allowed = ", ".join("{" + key + "}" for key in PLACEHOLDERS)
            shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            return f"uses {shown}, which is not a placeholder. Allowed: {allowed}."
    return None


def fill(text: str, values: Mapping[str, str]) -> str:
    """The section with its placeholders replaced; `text` has passed template_problem."""
    return text.format_map({key: values.get(key, "") for key in PLACEHOLDERS})


@dataclass(frozen=True)
class Block:
    """A paragraph, or a list of bullet points, of filled-in handout text."""

    lines: tuple[str, ...]
    bullets: bool


def blocks(text: str) -> tuple[Block, ...]:
    """Paragraphs and bullet lists: blank lines separate paragraphs; lines starting "- " or "• " are bullets."""
    result: list[Block] = []
    paragraph: list[str] = []
    items: list[str] = []

    def close() -> None:
        if paragraph:
            result.append(Block((" ".join(paragraph),), bullets=False))
            paragraph.clear()
        if items:
            result.append(Block(tuple(items), bullets=True))
            items.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            close()
        elif line[:2] in ("- ", "• "):
            if paragraph:
                close()
            items.append(line[2:].strip())
        else:
            if items:
                close()
            paragraph.append(line)
    close()
    return tuple(result)


def compression_days_counted(treated_on: dt.date, compression: Compression) -> str:
    """How the days of compression are counted, with the first and the last; "" when no days are prescribed.

    One sentence, word for word the same on the session report and on the handout. Day 1 is the day the hours
    without removal end (`schedule.compression_first_day`): the day after the treatment with the usual 24.
    """
    if compression.days <= 0:
        return ""
    hours = compression.continuous_hours
    if hours == 0:
        start = "the day of the treatment"
    elif hours == 24:
        start = "the day after the treatment"
    else:
        start = f"the day the first {hours} hours end"
    first = long_date(compression_first_day(treated_on, compression))
    if compression.days == 1:
        return f"The day of compression is counted from {start}: it is {first}."
    last = long_date(compression_last_day(treated_on, compression))
    return (
        f"The {compression.days} days are counted from {start}: day 1 is {first}, "
        f"day {compression.days} (the last) is {last}."
    )
