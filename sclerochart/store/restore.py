"""Restoring a verified copy: checked again, then put in the database's place with the old file kept aside."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from pathlib import Path

from filelock import FileLock, Timeout

from sclerochart import paths
from sclerochart.domain.backups import BackupCopy, copy_name
from sclerochart.store.backups import (
    PARTIAL_SUFFIX,
    BackupError,
    check_copy,
    connect,
    driver_errors,
    file_uri,
    fsync,
    os_problem,
    remember,
    sha256_of,
)
from sclerochart.store.migrate import schema_known

_CHUNK = 1 << 20


def verify_copy(copy: BackupCopy, key: str | None = None) -> None:
    """Check, before a restore, that the copy is still the one that was verified and still passes SQLite's check.

    Args:
        copy: the copy.
        key: the clinic passphrase, for an encrypted copy.

    Raises:
        BackupError: it was changed or damaged since (a failing drive, an edit by hand).
    """
    try:
        size = copy.path.stat().st_size
        same = size == copy.size and sha256_of(copy.path) == copy.sha256
    except OSError as error:
        raise BackupError(
            f"The backup copy {copy.path} cannot be read ({error.strerror or error}).",
            "Check that the backup drive is connected, or choose another copy.",
        ) from error
    if not same:
        raise BackupError(
            f"The backup copy {copy.name} was changed or damaged after it was made (its fingerprint differs), "
            "so it is not restored.",
            "Choose another copy.",
        )
    if copy.encrypted and key is None:
        raise BackupError(
            f"The backup copy {copy.name} is encrypted, and no clinic passphrase was given.",
            "Give the clinic passphrase it was made with.",
        )
    problem, holds, _ = check_copy(copy.path, key if copy.encrypted else None)
    if copy.encrypted and "not a database" in problem:
        raise BackupError(
            f"The clinic passphrase given does not open the backup copy {copy.name} (it was made under another one).",
            "Give the passphrase the clinic had when the copy was made. Nothing was changed.",
        )
    if problem or holds.rows != copy.holds.rows:
        raise BackupError(
            f"The backup copy {copy.name} no longer passes the integrity check ({problem or 'rows differ'}), "
            "so it is not restored.",
            "Choose another copy.",
        )


def in_use_elsewhere(database: Path, key: str | None = None) -> bool:
    """True when another connection (another copy of the program) has the database open now."""
    if not database.exists():
        return False
    connection = connect(file_uri(database), key, isolation_level=None, timeout=0.5)
    try:
        connection.execute("PRAGMA locking_mode = EXCLUSIVE")
        connection.execute("BEGIN EXCLUSIVE")
        connection.execute("COMMIT")
        return False
    except driver_errors() as error:
        # "locked": someone has it open; anything else (damaged beyond reading): nobody can be using it
        return "locked" in str(error) or "busy" in str(error)
    finally:
        connection.close()


def restore_copy(copy: BackupCopy, database: Path, now: dt.datetime, key: str | None = None) -> Path | None:
    """Put a verified copy in the database's place; the database as it was is first saved aside.

    The copy is checked again and written beside the database under a temporary name; then, holding the lock
    every copy of the program takes to open the file (none can open it meanwhile), the database is moved
    aside and the copy renamed into place. Should that rename fail, the database is moved back.

    Returns:
        Where the database as it was was saved ("<name>-replaced-<time>.sqlite3"), or None when there was none.

    Raises:
        BackupError: the copy is not good, is from a newer ScleroChart, or the database is open elsewhere.
    """
    verify_copy(copy, key)
    if copy.schema and not schema_known(copy.schema):
        raise BackupError(
            f"The backup copy {copy.name} was made by a newer version of ScleroChart, so it was not restored.",
            "Update ScleroChart on this computer first. Nothing was changed.",
        )
    lock = FileLock(str(database.with_name(database.name + ".lock")), timeout=10)
    try:
        lock.acquire()
    except Timeout as error:
        raise BackupError(
            f"The database {database} is being opened by another copy of ScleroChart, so it was not replaced.",
            "Close ScleroChart everywhere else on this computer, then restore again.",
        ) from error
    incoming = database.with_name(f"{database.stem}-restore{PARTIAL_SUFFIX}")
    try:
        if in_use_elsewhere(database, key):
            raise BackupError(
                f"The database {database} is open in another ScleroChart window on this computer, so it was not "
                "replaced.",
                "Close ScleroChart everywhere else on this computer, then restore again.",
            )
        incoming.unlink(missing_ok=True)
        paths.private_file(incoming)
        with copy.path.open("rb") as source, incoming.open("wb") as target:
            while chunk := source.read(_CHUNK):
                target.write(chunk)
            target.flush()
            os.fsync(target.fileno())
        if sha256_of(incoming) != copy.sha256:
            raise BackupError(
                f"The copy of {copy.name} written beside the database differs from it, so nothing was replaced.",
                "Check the disk, then try again.",
            )
        aside = _save_aside(database, now)
        try:
            incoming.replace(database)
        except OSError:
            if aside is not None:
                _put_back(aside, database)
            raise
        fsync(database.parent)
        remember(database, encrypted=copy.encrypted)
    except BaseException as error:
        with contextlib.suppress(OSError):
            incoming.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise os_problem(error, database.parent) from error
        raise
    finally:
        lock.release()
    return aside


def _put_back(aside: Path, database: Path) -> None:
    """Undo _save_aside: the database and its -wal and -shm files under their own names again."""
    aside.replace(database)
    for sidecar in ("-wal", "-shm"):
        moved = aside.with_name(aside.name + sidecar)
        if moved.exists():
            moved.replace(database.with_name(database.name + sidecar))


def _save_aside(database: Path, now: dt.datetime) -> Path | None:
    """Move the database file with its -wal and -shm files to '<name>-replaced-<time>' (they stay together)."""
    if not database.exists():
        # The -wal of a file that is gone must not be read as part of the copy: kept aside, never applied.
        kept = database.with_name(copy_name(database.name, "orphaned", now, database.suffix or ".sqlite3"))
        for sidecar in ("-wal", "-shm"):
            source = database.with_name(database.name + sidecar)
            if source.exists():
                source.replace(kept.with_name(kept.name + sidecar))
        return None
    aside = database.with_name(copy_name(database.name, "replaced", now, database.suffix or ".sqlite3"))
    for sidecar in ("-wal", "-shm"):
        source = database.with_name(database.name + sidecar)
        if source.exists():
            source.replace(aside.with_name(aside.name + sidecar))
    database.replace(aside)
    return aside
