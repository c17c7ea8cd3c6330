"""Chart numbers the program assigns by the clinic's pattern ("P-######" gives P-000001, P-000002, …).

A chart number typed on the patient form is kept as typed; a blank one is assigned when the patient is
saved: one more than the highest number of the pattern in use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sclerochart.domain.validation import CHART_NUMBER_MAX, CHART_NUMBER_RULE, chart_number_allowed

DIGIT = "#"
MAX_DIGITS = 12
_RUN = re.compile(r"#+")


@dataclass(frozen=True)
class ChartPattern:
    """A pattern split at its run of digits."""

    prefix: str
    digits: int
    suffix: str

    def number(self, value: int) -> str:
        """The chart number holding `value` (wider than the pattern once its digits run out)."""
        return f"{self.prefix}{value:0{self.digits}d}{self.suffix}"

    def value_of(self, chart_number: str) -> int | None:
        """The number in a chart number of this pattern, or None when it is not one."""
        if not (chart_number.startswith(self.prefix) and chart_number.endswith(self.suffix)):
            return None
        middle = chart_number[len(self.prefix) : len(chart_number) - len(self.suffix)]
        if len(middle) < self.digits or not middle.isascii() or not middle.isdigit():
            return None
        return int(middle)

    @property
    def example(self) -> str:
        """The first number the pattern gives, to show the user."""
        return self.number(1)


def pattern_problem(pattern: str) -> str | None:
    """What is wrong with a typed pattern, in words, or None (an empty pattern means: always typed by hand)."""
    if not pattern:
        return None
    runs = _RUN.findall(pattern)
    if len(runs) != 1:
        return f"must hold one run of {DIGIT} marks where the number goes, such as P-######."
    if len(runs[0]) > MAX_DIGITS:
        return f"may hold at most {MAX_DIGITS} {DIGIT} marks."
    example = pattern.replace(runs[0], "1" * len(runs[0]))
    if len(example) > CHART_NUMBER_MAX - 2:
        return f"is too long: a chart number holds at most {CHART_NUMBER_MAX} characters."
    if not chart_number_allowed(example):
        return f"gives chart numbers that are not allowed: a chart number {CHART_NUMBER_RULE}"
    return None


def parse(pattern: str) -> ChartPattern | None:
    """The pattern split at its digits, or None when it is empty or not allowed."""
    if not pattern or pattern_problem(pattern) is not None:
        return None
    match = _RUN.search(pattern)
    assert match is not None  # pattern_problem found exactly one run
    return ChartPattern(pattern[: match.start()], len(match.group()), pattern[match.end() :])


def next_number(pattern: ChartPattern, in_use: list[str]) -> str:
    """One more than the highest number of the pattern among `in_use` (the first when none is)."""
    values = [value for value in map(pattern.value_of, in_use) if value is not None]
    return pattern.number(max(values, default=0) + 1)
