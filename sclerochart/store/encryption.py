"""Encrypting a SQLite database with SQLCipher (and back): whole or not at all, checked before it takes the place."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from filelock import FileLock, Timeout

from sclerochart.store.backups import (
    PARTIAL_SUFFIX,
    connect,
    driver_errors,
    file_uri,
    holdings,
    quoted,
    remember,
)
from sclerochart.store.engine import looks_encrypted
from sclerochart.store.errors import DatabaseError, DatabaseLockedError, WrongPassphraseError
from sclerochart.store.restore import in_use_elsewhere

MIN_PASSPHRASE = 10
"""Characters a clinic passphrase has at least (the whole clinic's records hang on it)."""


class EncryptionError(DatabaseError):
    """The file could not be converted; it is as it was."""


def passphrase_problem(passphrase: str) -> str | None:
    """Why a new clinic passphrase is not allowed, in words; None when it is."""
    if len(passphrase) < MIN_PASSPHRASE:
        return f"must have at least {MIN_PASSPHRASE} characters (a few words are easy to remember and hard to guess)."
    if "\x00" in passphrase:
        return "holds an invisible character; type it again."
    return None


def encrypt_file(database: Path, passphrase: str) -> None:
    """Encrypt a plain database in place with the passphrase.

    Raises:
        EncryptionError: the file is already encrypted, open elsewhere, or could not be converted (it is then
            unchanged).
    """
    if looks_encrypted(database):
        raise EncryptionError(f"The database {database} is already encrypted.", "Nothing was changed.")
    problem = passphrase_problem(passphrase)
    if problem is not None:
        raise EncryptionError(f"The clinic passphrase {problem}", "Nothing was changed.")
    _convert(database, None, passphrase)


def decrypt_file(database: Path, passphrase: str) -> None:
    """Write an encrypted database back as a plain one, in place.

    Raises:
        WrongPassphraseError: the passphrase does not open it.
        EncryptionError: the file is not encrypted, open elsewhere, or could not be converted (it is unchanged).
    """
    if not looks_encrypted(database):
        raise EncryptionError(f"The database {database} is not encrypted.", "Nothing was changed.")
    _convert(database, passphrase, "")


def _convert(database: Path, old_key: str | None, new_key: str) -> None:
    """Export every table into a new file under the new key ("" for none), check it, and put it in place."""
    lock = FileLock(str(database.with_name(database.name + ".lock")), timeout=5)
    try:
        lock.acquire()
    except Timeout as error:
        raise DatabaseLockedError(
            f"The database {database} is being opened by another copy of ScleroChart.", "Close it, then try again."
        ) from error
    partial = database.with_name(f"{database.stem}-converting{PARTIAL_SUFFIX}")
    try:
        if in_use_elsewhere(database, old_key):
            raise EncryptionError(
                f"The database {database} is open in ScleroChart, so it was not converted.",
                "Close ScleroChart everywhere, then run the command again.",
            )
        partial.unlink(missing_ok=True)
        before = _export(database, old_key, partial, new_key)
        connection = connect(file_uri(partial), new_key or None)
        try:
            rows = connection.execute("PRAGMA integrity_check").fetchall()
            after = holdings(connection).rows
            connection.execute("PRAGMA journal_mode = WAL")
        finally:
            connection.close()
        if rows != [("ok",)] or after != before:
            raise EncryptionError(
                f"The converted copy of {database} did not check out, so the database was left as it was.",
                "Run 'sclerochart check', then try again.",
            )
        with partial.open("rb") as file:
            os.fsync(file.fileno())
        _no_journal_left(database)
        partial.replace(database)
        remember(database, encrypted=bool(new_key))
    except driver_errors() as error:
        if old_key is not None and "not a database" in str(error):
            raise WrongPassphraseError(
                f"The clinic passphrase does not open the database {database}.", "Nothing was changed."
            ) from error
        raise EncryptionError(
            f"The database {database} could not be converted ({error}).", "Nothing was changed."
        ) from error
    except OSError as error:
        raise EncryptionError(
            f"The database {database} could not be converted ({error.strerror or error}).",
            "Check the free disk space; nothing was changed.",
        ) from error
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        lock.release()


def _no_journal_left(database: Path) -> None:
    """The old file's -wal must be gone (emptied into it and removed) before the new file takes its name.

    A -wal left beside the new file would be read as part of it.
    """
    wal = database.with_name(database.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise EncryptionError(
            f"The database {database} was still being written to, so it was not converted.",
            "Close ScleroChart everywhere, then run the command again.",
        )
    wal.unlink(missing_ok=True)
    database.with_name(database.name + "-shm").unlink(missing_ok=True)


def _export(database: Path, old_key: str | None, partial: Path, new_key: str) -> dict[str, int]:
    """SQLCipher's export of every table into `partial`; the rows per table of the source."""
    source = connect(file_uri(database), old_key if old_key is not None else "", isolation_level=None)
    try:
        source.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        before = dict(holdings(source).rows)
        source.execute(f"ATTACH DATABASE {quoted(str(partial))} AS converted KEY {quoted(new_key)}")
        source.execute("SELECT sqlcipher_export('converted')")
        version = source.execute("PRAGMA user_version").fetchone()[0]
        source.execute(f"PRAGMA converted.user_version = {int(version)}")
        source.execute("DETACH DATABASE converted")
        return before
    finally:
        source.close()
