"""Database problems a user can meet, translated from driver errors into plain words."""

from __future__ import annotations

import shutil
from pathlib import Path

import sqlalchemy.exc

from sclerochart.domain.errors import DamagedError, UserError


class DatabaseError(UserError):
    """The database could not be used; nothing was changed."""


class DatabaseMissingError(DatabaseError):
    """There is no database at the place named."""


class DatabaseLockedError(DatabaseError):
    """Another program holds the database."""


class DatabaseReadOnlyError(DatabaseError):
    """The database accepts no writes."""


class DatabaseCorruptError(DatabaseError, DamagedError):
    """The file is damaged or not a database."""


class EncryptedDatabaseError(DatabaseError):
    """The file is encrypted (or damaged past recognising) and no passphrase was given."""


class WrongPassphraseError(DatabaseError):
    """The clinic passphrase given does not open the encrypted file."""


class DiskFullError(DatabaseError):
    """The disk has no room left."""


class DatabaseUnavailableError(DatabaseError):
    """The database server or file cannot be reached."""


class DatabaseAddressError(DatabaseError):
    """The database path or URL is not usable."""


class SchemaTooNewError(DatabaseError):
    """The database was written by a newer ScleroChart."""


class NotOurDatabaseError(DatabaseError):
    """The file is a database, but not a ScleroChart one."""


FULL_BELOW_BYTES = 4 * 1024 * 1024
"""SQLite says "disk I/O error" when a write finds no room: with less free space than this, the disk is full."""


def _disk_nearly_full(where: str) -> bool:
    """Whether the disk holding a database file (named by its path) has next to no free space left."""
    folder = Path(where).parent
    try:
        return folder.is_dir() and shutil.disk_usage(folder).free < FULL_BELOW_BYTES
    except OSError:
        return False


def translate(error: BaseException, where: str) -> DatabaseError:
    """The user-facing error for a driver or SQLAlchemy error met while using the database at `where`."""
    text = str(getattr(error, "orig", None) or error).lower()
    if "locked" in text or "busy" in text:
        return DatabaseLockedError(
            f"The database {where} is in use by another program and did not answer in time.",
            "Close the other program or wait a moment, then try again. Nothing was changed.",
        )
    if "readonly" in text or "read-only" in text or "read only" in text:
        return DatabaseReadOnlyError(
            f"The database {where} cannot be written to (read-only).",
            "Check that the file and its folder may be written, or ask whoever manages this computer. "
            "Your last change was not saved.",
        )
    if "disk is full" in text or "no space" in text or ("disk i/o error" in text and _disk_nearly_full(where)):
        return DiskFullError(
            f"The disk holding the database {where} is full.",
            "Free some disk space, then try again. Your last change was not saved.",
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return DatabaseCorruptError(
            f"The file {where} is damaged or is not a ScleroChart database.",
            "Restore it from a backup, or choose another file. Nothing was changed.",
        )
    if (
        "password authentication failed" in text
        or ("role" in text and "does not exist" in text)
        or ("no pg_hba.conf entry" in text)
    ):
        return DatabaseUnavailableError(
            f"The database server at {where} did not accept the user name or password.",
            "Check the user name in the database address, and the password in this account's .pgpass file "
            "(or PGPASSWORD), with whoever manages the server.",
        )
    if "no password supplied" in text:
        return DatabaseUnavailableError(
            f"The database server at {where} asks for a password, and none was given.",
            "Put the password in this account's .pgpass file (readable by its owner only) or in PGPASSWORD; "
            "see the operations guide. Nothing was changed.",
        )
    if "database" in text and "does not exist" in text:
        return DatabaseMissingError(
            f"The database server is running, but the database named in {where} does not exist on it.",
            "Check the database name in the address, or ask whoever manages the server to create it.",
        )
    if "server closed the connection" in text or "terminating connection" in text or "connection is closed" in text:
        return DatabaseUnavailableError(
            f"The connection to the database server at {where} was lost.",
            "Check the network and that the server is running, then try again. Your last change was not saved.",
        )
    if "unable to open" in text or "could not connect" in text or "connection refused" in text:
        return DatabaseUnavailableError(
            f"The database {where} cannot be opened.",
            "Check that the file or its folder exists and may be read, or that the database server is running.",
        )
    if isinstance(error, sqlalchemy.exc.ArgumentError | sqlalchemy.exc.NoSuchModuleError):
        return DatabaseAddressError(
            f"The database address {where} is not understood.",
            "Give a file path, or a URL such as postgresql://user@server/sclerochart.",
        )
    return DatabaseError(
        f"The database {where} reported a problem: {getattr(error, 'orig', error)}.",
        "Nothing was changed. If this happens again, run 'sclerochart check' and keep its output.",
    )
