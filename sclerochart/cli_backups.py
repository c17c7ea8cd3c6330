"""The backup commands: make a verified copy (for a scheduled task), list and restore copies, encrypt the file."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sclerochart import paths
from sclerochart.cli_common import (
    EXIT_OK,
    EXIT_PROBLEM,
    UsageProblem,
    can_have_new_password,
    clinic_passphrase,
    format_table,
    lazy_module,
    opened,
    typed_password,
)
from sclerochart.domain.backups import BackupCopy
from sclerochart.paths import PASSPHRASE_VARIABLE

if TYPE_CHECKING:
    from sclerochart.services import backups, context
    from sclerochart.store import encryption, engine
else:  # loaded when a command runs
    backups = lazy_module("sclerochart.services.backups")
    context = lazy_module("sclerochart.services.context")
    encryption = lazy_module("sclerochart.store.encryption")
    engine = lazy_module("sclerochart.store.engine")

NEW_PASSPHRASE_VARIABLE = "SCLEROCHART_NEW_DB_PASSPHRASE"
"""Where a script gives the new clinic passphrase for 'encrypt'."""


def add_parsers(commands: Any) -> None:
    """Add 'backup', 'backups', 'restore', 'encrypt' and 'decrypt' to the command line."""
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
    commands.add_parser(
        "encrypt",
        help="encrypt the database file with a clinic passphrase (its backups are then encrypted too)",
        description="Converts the database file, whole or not at all, into one encrypted with SQLCipher. The "
        f"passphrase is asked for twice (scripts: ${NEW_PASSPHRASE_VARIABLE}); it is never stored, and without it "
        "the records cannot be read. Backups made before stay unencrypted: delete them or keep them locked away.",
    )
    commands.add_parser(
        "decrypt",
        help="write the encrypted database file back unencrypted",
        description=f"Asks for the clinic passphrase (scripts: ${PASSPHRASE_VARIABLE}).",
    )


def _file_of(args: argparse.Namespace) -> Path:
    path = engine.parse_target(args.db or paths.default_database()).path
    if path is None:
        raise UsageProblem(
            "A database on a server is encrypted by the server (disk encryption, TLS), not by ScleroChart.",
            "Ask whoever looks after the server.",
        )
    if not path.is_file():
        raise UsageProblem(f"There is no database at {path}.", "Check the path given with --db.")
    return path


def run_encrypt(args: argparse.Namespace) -> int:
    """`sclerochart encrypt`: the file encrypted in place with a new clinic passphrase."""
    path = _file_of(args)
    if engine.looks_encrypted(path):
        raise UsageProblem(f"The database {path} is already encrypted.", "Nothing was changed.")
    can_have_new_password(NEW_PASSPHRASE_VARIABLE, "the clinic passphrase")
    passphrase = os.environ.get(NEW_PASSPHRASE_VARIABLE) or _typed_twice()
    problem = encryption.passphrase_problem(passphrase)
    if problem is not None:
        raise UsageProblem(f"The clinic passphrase {problem}", "Nothing was changed. Choose a longer one.")
    encryption.encrypt_file(path, passphrase)
    print(f"The database {path} is now encrypted. Keep the passphrase safe: without it the records cannot be read.")
    old = backups.copies_for(path)
    if any(not copy.encrypted for copy in old):
        folder = old[0].path.parent
        print(f"Backups made before are not encrypted (in {folder}): delete them, or keep them locked away.")
    return EXIT_OK


def _typed_twice() -> str:
    first = getpass.getpass("New clinic passphrase: ")
    if getpass.getpass("The same passphrase again: ") != first:
        raise UsageProblem("The two passphrases typed are not the same.", "Nothing was changed. Run it again.")
    return first


def run_decrypt(args: argparse.Namespace) -> int:
    """`sclerochart decrypt`: the encrypted file written back plain."""
    path = _file_of(args)
    if not engine.looks_encrypted(path):
        raise UsageProblem(f"The database {path} is not encrypted.", "Nothing was changed.")
    encryption.decrypt_file(path, clinic_passphrase(str(path)) or "")
    print(f"The database {path} is no longer encrypted; new backups will not be either.")
    return EXIT_OK


def _describe(copy: BackupCopy) -> str:
    return f"{copy.path}\n  {copy.size_in_words()}; holds {copy.holds.in_words()}"


def run_backup(args: argparse.Namespace) -> int:
    """`sclerochart backup [--to FOLDER]`."""
    with opened(args) as ctx:
        make = backups.make_backup if ctx.db.is_sqlite else backups.dump_server
        copy = make(ctx, args.to, "command")
        what = "Verified backup written" if ctx.db.is_sqlite else "Dump written and read back by pg_restore"
    print(f"{what}: {_describe(copy)}")
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
    target = engine.parse_target(args.db or paths.default_database())
    if target.path is None:
        raise UsageProblem(
            "A database on a server is restored with PostgreSQL's own pg_restore, not by ScleroChart.",
            "Ask whoever looks after the server; 'pg_restore --help' tells how to use a .dump file.",
        )
    copy = backups.read_copy(args.copy.expanduser().resolve())
    asking = not args.yes
    if asking and (sys.stdin is None or not sys.stdin.isatty()):
        raise UsageProblem("A restore replaces the database, so it asks first.", "Add --yes in a script.")
    now = context.wall_clock()
    print(f"Restore {target.path} from the copy made on {copy.made_at:%d %b %Y at %H:%M}?")
    print(f"  The copy holds {copy.holds.in_words()}.")
    if target.path.exists():
        print("  The database as it is now is saved aside first; changes made after that copy are not in it.")
    if asking and input("Type 'yes' to restore: ").strip().lower() != "yes":
        print("Nothing was changed.")
        return EXIT_PROBLEM
    key = typed_password(PASSPHRASE_VARIABLE, "Clinic passphrase: ", "the encrypted copy") if copy.encrypted else None
    done = backups.restore(target.path, copy, backups.who_at_this_computer(), now, key)
    print(f"Restored. The database now holds {copy.holds.in_words()}.")
    if done.saved_aside is not None:
        print(f"The database it replaced was saved as {done.saved_aside}.")
    if done.note:
        print(done.note)
    return EXIT_OK
