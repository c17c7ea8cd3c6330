"""The 'outcomes' command: clearance at the last follow-up and complication rates over a period."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING, Any

from sclerochart.cli_common import EXIT_OK, add_user_option, format_table, lazy_module, opened
from sclerochart.domain.outcome_figures import DEFINITION, Grouping

if TYPE_CHECKING:
    from sclerochart.reports import export, outcome_table
    from sclerochart.services import outcome_figures
else:  # loaded when the command runs
    export = lazy_module("sclerochart.reports.export")
    outcome_table = lazy_module("sclerochart.reports.outcome_table")
    outcome_figures = lazy_module("sclerochart.services.outcome_figures")


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-01-31") from None


def add_parsers(commands: Any) -> None:
    """Add 'outcomes' to the command line."""
    outcomes = commands.add_parser(
        "outcomes",
        help="clearance at the last follow-up and complication rates, by agent, strength, form or vessel "
        "(needs --user)",
        description=DEFINITION,
    )
    outcomes.add_argument("--from", dest="start", type=_day, metavar="DATE", help="first day of sessions counted")
    outcomes.add_argument("--to", dest="end", type=_day, metavar="DATE", help="last day of sessions counted")
    outcomes.add_argument(
        "--by",
        choices=[grouping.value for grouping in Grouping],
        default=Grouping.AGENT.value,
        help="how the sites are grouped (default: agent)",
    )
    outcomes.add_argument("--csv", metavar="FILE", help="write the table to this CSV file instead of showing it")
    add_user_option(outcomes, after_command=True)


def run_outcomes(args: argparse.Namespace) -> int:
    """Show or write the outcome figures."""
    grouping = Grouping(args.by)
    with opened(args, doing="Working out the outcome figures") as ctx:
        figures = outcome_figures.outcome_figures(ctx, args.start, args.end)
    if args.csv:
        written = export.save_file(outcome_table.outcome_csv(figures, grouping), args.csv, ".csv", "outcomes.csv")
        print(f"Outcome figures of {figures.period_words()} written to {written}")
        return EXIT_OK
    print(f"Outcome figures of {figures.period_words()}")
    rows = [outcome_table.row_of(row) for row in (*figures.rows(grouping), figures.total())]
    print(format_table(outcome_table.columns(grouping), rows))
    print()
    print(DEFINITION)
    return EXIT_OK
