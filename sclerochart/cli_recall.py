"""The 'lots' command: who received a lot, with their contact details, on screen or as a CSV file."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from sclerochart.cli_common import EXIT_OK, add_user_option, format_table, lazy_module, opened

if TYPE_CHECKING:
    from sclerochart.reports import export, lot_recall
    from sclerochart.services import recall
else:  # loaded when the command runs
    export = lazy_module("sclerochart.reports.export")
    lot_recall = lazy_module("sclerochart.reports.lot_recall")
    recall = lazy_module("sclerochart.services.recall")


def add_parsers(commands: Any) -> None:
    """Add 'lots' to the command line."""
    lots = commands.add_parser(
        "lots",
        help="every patient, session and site that received a lot, with contact details (needs --user)",
        description="Finds the lot as typed, capitals and spaces around it aside. Each patient listed is written "
        "in the disclosure log.",
    )
    lots.add_argument("lot", help="the lot number as printed on the vial")
    lots.add_argument("--csv", metavar="FILE", help="write the list to this CSV file instead of showing it")
    add_user_option(lots, after_command=True)


def run_lots(args: argparse.Namespace) -> int:
    """Show or write the recall list of a lot."""
    with opened(args, doing="Finding who received a lot") as ctx:
        shown_as = "recall of a lot, to a CSV file" if args.csv else "recall of a lot, on the command line"
        lines = recall.sites_with_lot(ctx, args.lot, shown_as=shown_as)
        if args.csv:
            written = export.save_file(lot_recall.recall_csv(lines), args.csv, ".csv", "recall.csv")
            print(f"{len(lines)} site{'s' if len(lines) != 1 else ''} written to {written}")
            return EXIT_OK
        if not lines:
            print(f"No site received the lot {args.lot.strip()}.")
            return EXIT_OK
        patients = len({line.patient_id for line in lines})
        sites = f"{len(lines)} site{'s' if len(lines) != 1 else ''}"
        print(f"Lot {args.lot.strip()}: {sites}, {patients} patient{'s' if patients != 1 else ''}")
        print(format_table(lot_recall.COLUMNS, [lot_recall.row_of(line) for line in lines]))
    return EXIT_OK
