"""The backup commands: make a verified copy (for a scheduled task), list the copies, restore one."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sclerochart import paths
from sclerochart.cli_common import EXIT_OK, EXIT_PROBLEM, UsageProblem, format_table, opened
from sclerochart.domain.backups import BackupCopy
from sclerochart.services import backups
from sclerochart.services.context import wall_clock
from sclerochart.store.engine import parse_target


def add_parsers(commands: Any) -> None:
    """Add 'backup', 'backups' and 'restore' to the command line."""
    backup = commands.add_parser(
        "backup",
        help="make a verified copy of the database now (for a scheduled task); on a server, a pg_dump",
        description="Copies the database into the clinic's backup folder (or --to FOLDER), checks the copy, and "
        "keeps the clinic's daily, weekly and monthly copies. No sign-in is needed: it copies the file as it is.",
    )
    backup.add_argument("--to", metavar="FOLDER", type=Path, help="the folder to write into (default: the clinic's)")
    listing = commands.add_parser("backups", help="list the verified copies of the database")
    listing.add_argument("--in", dest="folder", metavar="FOLDER", type=Path, help="look in this folder instead")
    restore = commands.add_parser(
        "restore",
        help="put a verified copy in the database's place (the database as it is is saved aside first)",
        description="Restores a verified copy made by ScleroChart. The database file as it is now is first saved "
        "beside it as <name>-replaced-<time>.sqlite3, and the restore is written into the audit trail.",
    )
    restore.add_argument("copy", type=Path, metavar="FILE", help="the copy (a .sqlite3 file with its .json beside it)")
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation (for scripts)")


def _describe(copy: BackupCopy) -> str:
    return f"{copy.path}\n  {copy.size_in_words()}; holds {copy.holds.in_words()}"


def run_backup(args: argparse.Namespace) -> int:
    """`sclerochart backup [--to FOLDER]`."""
    with opened(args) as ctx:
        make = backups.make_backup if ctx.db.is_sqlite else backups.dump_server
        copy = make(ctx, args.to, "command")
    print(f"Verified backup written: {_describe(copy)}")
    return EXIT_OK


def run_list(args: argparse.Namespace) -> int:
    """`sclerochart backups [--in FOLDER]`."""
    with opened(args) as ctx:
        state = backups.backup_state(ctx)
        copies = backups.list_backups(ctx, args.folder) if ctx.db.is_sqlite else ()
        folder = args.folder or state.folder
    if folder is None:
        print("This database is on a server: 'sclerochart backup --to FOLDER' writes a pg_dump into a folder.")
        return EXIT_OK
    if not copies:
        print(f"No verified backup in {folder}. Make one with 'sclerochart backup'.")
        return EXIT_PROBLEM
    rows = [
        [f"{c.made_at:%Y-%m-%d %H:%M}", c.how_made(), c.size_in_words(), f"{c.holds.patients:,}",
         f"{c.holds.sessions:,}", f"{c.holds.newest_session:%Y-%m-%d}" if c.holds.newest_session else "-", c.name]
        for c in copies
    ]  # fmt: skip
    print(f"Verified backups in {folder}:")
    print(format_table(["Made", "How", "Size", "Patients", "Sessions", "Newest session", "File"], rows))
    return EXIT_OK


def run_restore(args: argparse.Namespace) -> int:
    """`sclerochart restore FILE [--yes]`: works when the database is missing or damaged, so it never opens it first."""
    target = parse_target(args.db or paths.default_database())
    if target.path is None:
        raise UsageProblem(
            "A database on a server is restored with PostgreSQL's own pg_restore, not by ScleroChart.",
            "Ask whoever looks after the server; 'pg_restore --help' tells how to use a .dump file.",
        )
    copy = backups.read_copy(args.copy.expanduser().resolve())
    asking = not args.yes
    if asking and (sys.stdin is None or not sys.stdin.isatty()):
        raise UsageProblem("A restore replaces the database, so it asks first.", "Add --yes in a script.")
    now = wall_clock()
    print(f"Restore {target.path} from the copy made on {copy.made_at:%d %b %Y at %H:%M}?")
    print(f"  The copy holds {copy.holds.in_words()}.")
    if target.path.exists():
        print("  The database as it is now is saved aside first; changes made after that copy are not in it.")
    if asking and input("Type 'yes' to restore: ").strip().lower() != "yes":
        print("Nothing was changed.")
        return EXIT_PROBLEM
    done = backups.restore(target.path, copy, backups.who_at_this_computer(), now)
    print(f"Restored. The database now holds {copy.holds.in_words()}.")
    if done.saved_aside is not None:
        print(f"The database it replaced was saved as {done.saved_aside}.")
    return EXIT_OK
