"""Backups: verified copies of the clinic's database, where they go, how recent they are, and restoring one."""

from __future__ import annotations

import datetime as dt
import getpass
from dataclasses import dataclass
from pathlib import Path

from sclerochart import paths
from sclerochart.domain.backups import BackupCopy, BackupState
from sclerochart.domain.errors import UserError
from sclerochart.services import audit, clinic
from sclerochart.services.context import ServiceContext, this_room
from sclerochart.store import backups as store
from sclerochart.store import restore as restoring
from sclerochart.store import server_dump
from sclerochart.store.database import open_database
from sclerochart.store.engine import looks_encrypted


class ServerBackupsElsewhere(UserError):
    """A server database is not copied by the window: `sclerochart backup` dumps it with pg_dump."""


def _database_file(ctx: ServiceContext) -> Path:
    path = ctx.db.target.path
    if path is None:
        raise ServerBackupsElsewhere(
            "This clinic's records are on a database server, which ScleroChart does not copy from the window.",
            "Run 'sclerochart backup' on a computer with the PostgreSQL client tools (it uses pg_dump), or ask "
            "whoever looks after the server to back it up.",
        )
    return path


def backup_folder(ctx: ServiceContext) -> Path | None:
    """Where copies of the database go: the clinic's chosen folder, else 'Backups' beside it; None on a server."""
    path = ctx.db.target.path
    if path is None:
        return None
    chosen = clinic.load_settings(ctx).backup_folder
    return Path(chosen) if chosen else store.default_folder(path)


def backup_state(ctx: ServiceContext) -> BackupState:
    """Where copies go, the newest verified one, and how often one is made."""
    every = clinic.load_settings(ctx).backup_every_hours
    folder = backup_folder(ctx)
    if folder is None or ctx.db.target.path is None:
        return BackupState(None, None, every)
    path = ctx.db.target.path
    copies = store.list_copies(folder, path.name, store.remembered_lineage(path))
    return BackupState(folder, copies[0] if copies else None, every)


def make_backup(ctx: ServiceContext, folder: Path | None = None, reason: str = "manual") -> BackupCopy:
    """Copy the database into the backup folder (or `folder`), verify the copy and rotate the old ones.

    Runs off the window's thread: it reads the database through its own connection, and other rooms and
    this window may go on writing meanwhile.

    Raises:
        BackupError: the folder cannot be written, the disk is full, or the copy did not verify.
        ServerBackupsElsewhere: the database is on a server.
    """
    path = _database_file(ctx)
    settings = clinic.load_settings(ctx)
    target = folder or (Path(settings.backup_folder) if settings.backup_folder else store.default_folder(path))
    copy = store.take_backup(path, target, reason, ctx.clock(), ctx.db.passphrase)
    store.rotate(target, path.name, settings.backup_keep(), copy.holds.lineage)
    return copy


def dump_server(ctx: ServiceContext, folder: Path | None = None, reason: str = "command") -> BackupCopy:
    """A checked pg_dump of the server database in `folder` (default: 'Backups' in the data folder), rotated.

    Raises:
        BackupError: pg_dump is missing (the message says how to install it), or the dump failed.
    """
    target = folder or paths.data_dir() / store.DEFAULT_FOLDER_NAME
    copy = server_dump.dump_server(ctx.db, target, reason, ctx.clock())
    store.rotate(target, copy.database_name, clinic.load_settings(ctx).backup_keep())
    return copy


def list_backups(ctx: ServiceContext, folder: Path | None = None) -> tuple[BackupCopy, ...]:
    """The verified copies of this database in its backup folder, or every verified copy in `folder`; newest first."""
    path = _database_file(ctx)
    if folder is not None:  # a folder the user chose: every copy in it (a file renamed since is still offered)
        return tuple(store.list_copies(folder))
    where = backup_folder(ctx)
    return tuple(store.list_copies(where, path.name, store.remembered_lineage(path))) if where is not None else ()


def copies_for(database: Path) -> tuple[BackupCopy, ...]:
    """The verified copies of a database file that may be gone or damaged, from every folder known for it.

    Read without opening the database: the folders copies went to (remembered beside the database) and the
    default folder; copies of another clinic's database of the same name are left out.
    """
    folders = [*store.remembered_folders(database), store.default_folder(database)]
    lineage = store.remembered_lineage(database)
    found = {
        copy.path: copy
        for folder in dict.fromkeys(folders)
        for copy in store.list_copies(folder, database.name, lineage)
    }
    return tuple(sorted(found.values(), key=lambda copy: copy.made_at, reverse=True))


def read_copy(path: Path) -> BackupCopy:
    """The verified copy at a path the user gave (the copy or its .json description).

    Raises:
        UserError: the file is not a verified ScleroChart copy.
    """
    if not path.is_file() and not path.with_name(path.name.removesuffix(store.MANIFEST_SUFFIX)).is_file():
        raise UserError(f"There is no file {path}.", "Check the name; 'sclerochart backups' lists the copies.")
    copy = store.read_copy(path)
    if copy is None:
        raise UserError(
            f"{path} is not a verified ScleroChart backup: the file {path.name}.json that describes a checked copy "
            "is missing beside it, or cannot be read.",
            "Choose a copy from the backup folder; only copies that were verified when they were made are restored.",
        )
    return copy


@dataclass(frozen=True)
class Restored:
    """What a restore did."""

    copy: BackupCopy
    saved_aside: Path | None
    """Where the database as it was before was saved, or None when there was no file."""
    note: str = ""
    """Something the person restoring must know (the copy is not encrypted, say), or ""."""


def who_at_this_computer() -> str:
    """How the audit trail names someone acting before any sign-in: the computer's user on this computer."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError):
        user = "unknown user"
    return f"computer user {user} on {this_room()}"[:100]


def restore(database: Path, copy: BackupCopy, who: str, now: dt.datetime, passphrase: str | None = None) -> Restored:
    """Put a verified copy in the database's place, then open it and record in its audit trail who restored what.

    Args:
        database: the database file (it may be missing or damaged).
        copy: the verified copy to restore.
        who: how the audit trail names the person restoring ("Dr. Ana Müller (ana)", or the computer's user
            when nobody could sign in).
        now: the clinic's local time.
        passphrase: the clinic passphrase, for an encrypted copy.

    Raises:
        BackupError: the copy no longer verifies, or the database is open in another window.
        DatabaseError: the restored database cannot be opened (it then stays in place; the old one is aside).
    """
    key = passphrase if copy.encrypted else None
    was_encrypted = database.is_file() and looks_encrypted(database)
    aside = restoring.restore_copy(copy, database, now, key)
    try:
        db = open_database(str(database), passphrase=key, create=False)
        try:
            ctx = ServiceContext(db, actor=who, clock=lambda: now)
            details = {
                "copy": copy.name,
                "made_at": copy.made_at.isoformat(),
                "holds": copy.holds.in_words(),
                "saved_aside_as": aside.name if aside is not None else None,
            }
            with db.write() as tx:
                audit.record(tx, ctx, "restore", "database", copy.name, None, details)
        finally:
            db.close()
    except UserError as error:
        raise RestoredWithProblem(
            f"The backup was put in place, but then: {error.message}",
            error.hint,
        ) from error
    note = (
        "This copy was made before the database was encrypted, so the database is not encrypted now: encrypt it "
        "again ('sclerochart encrypt')."
        if was_encrypted and not copy.encrypted
        else ""
    )
    return Restored(copy, aside, note)


class RestoredWithProblem(UserError):
    """The copy is in the database's place, and what came after (opening it, the audit event) failed."""
