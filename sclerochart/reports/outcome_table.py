"""The clinic's outcome figures as rows for a table and as a CSV file (UTF-8 with its mark)."""

from __future__ import annotations

import csv
import io

from sclerochart.domain.outcome_figures import DEFINITION, GROUPING_WORDS, Grouping, OutcomeFigures, OutcomeRow

NUMBERS = (
    "Sites",
    "Followed up",
    "Rated",
    "Mean cleared %",
    "75 % or more cleared",
    "With a complication",
    "Complications /100 followed up",
)


def columns(grouping: Grouping) -> tuple[str, ...]:
    """The header of the table grouped this way."""
    return (GROUPING_WORDS[grouping], *NUMBERS)


def _share(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}"


def row_of(row: OutcomeRow, *, percent_signs: bool = True) -> list[str]:
    """One group's figures as text (no number where nothing was followed up or rated)."""
    sign = " %" if percent_signs else ""
    mean = "" if row.mean_cleared is None else f"{row.mean_cleared:.1f}{sign}"
    return [
        row.group,
        str(row.sites),
        str(row.followed_up),
        str(row.rated),
        mean,
        str(row.cleared_75),
        str(row.with_complication),
        _share(row.complication_rate),
    ]


def outcome_csv(figures: OutcomeFigures, grouping: Grouping) -> bytes:
    """What the file holds (period, grouping, definition), then a header row, a row per group and the total."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow([f"Outcome figures of {figures.period_words()}, by {GROUPING_WORDS[grouping].lower()}"])
    writer.writerow([DEFINITION])
    writer.writerow([])
    writer.writerow(columns(grouping))
    for row in (*figures.rows(grouping), figures.total()):
        writer.writerow(row_of(row, percent_signs=False))
    return ("\ufeff" + out.getvalue()).encode("utf-8")
