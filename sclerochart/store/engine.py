"""Engines for a database path or URL; every SQLite connection gets the same safe settings."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from sclerochart.store.errors import DatabaseAddressError, DatabaseMissingError

DEFAULT_BUSY_TIMEOUT_MS = 5000
SERVER_CONNECT_TIMEOUT_S = 10
"""How long to wait for a database server to answer a new connection, in seconds."""
ENCRYPTED_DRIVER = "sqlite+pysqlcipher"
SQLITE_HEADER = b"SQLite format 3\x00"
BEGIN_OPTION = "sclerochart_begin"


@dataclass(frozen=True)
class Target:
    """Where a database lives: a SQLite file (with its path) or a server URL."""

    url: URL
    path: Path | None
    on_read_only_medium: bool = False
    """The file is on a disk that cannot be written: opened for reading only, and nothing is tried."""

    @property
    def encrypted(self) -> bool:
        """A SQLite file encrypted with SQLCipher, opened with the clinic passphrase."""
        return self.url.drivername == ENCRYPTED_DRIVER

    @property
    def passphrase(self) -> str | None:
        """The clinic passphrase of an encrypted file (kept in memory only), else None."""
        return str(self.url.password) if self.encrypted and self.url.password is not None else None

    @property
    def immutable(self) -> bool:
        """Opened for reading only because the file is on a read-only medium (as it is, or through its -wal)."""
        return self.on_read_only_medium

    @property
    def display(self) -> str:
        """How to name the database to a user (never with a password)."""
        if self.path is not None:
            return str(self.path)
        # As a person writes it: postgresql://…, not the driver's name the program adds.
        shown = self.url.set(drivername=self.url.get_backend_name())
        return shown.render_as_string(hide_password=True)


def parse_target(text: str, passphrase: str | None = None) -> Target:
    """A path or URL as the user gave it, resolved; DatabaseAddressError when it cannot be used.

    With a passphrase, a SQLite file is opened encrypted (SQLCipher derives the key from the passphrase).
    """
    target = _parse(text)
    if passphrase is None or target.path is None:
        return target
    return Target(URL.create(ENCRYPTED_DRIVER, password=passphrase, database=str(target.path)), target.path)


def on_read_only_medium(path: Path) -> bool:
    """The file is on a disk that cannot be written at all (a read-only mount, a write-protected card)."""
    statvfs = getattr(os, "statvfs", None)
    if statvfs is None:  # Windows: a write-protected drive refuses write access to everyone
        return not os.access(path.parent, os.W_OK)
    try:
        return bool(statvfs(path.parent).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def has_pending_journal(path: Path) -> bool:
    """Changes wait in the file's -wal (a program stopped before they were moved into the file)."""
    wal = path.with_name(path.name + "-wal")
    try:
        return wal.stat().st_size > 0
    except OSError:
        return False


def read_only_copy(target: Target) -> Target:
    """The same file opened for reading only, on a read-only medium.

    With no changes waiting in a -wal, as it is (immutable: no -wal or -shm is needed or made); with changes
    waiting, read-only through them (mode=ro, which needs the -shm beside it), so none is left unseen.
    """
    assert target.path is not None
    pending = has_pending_journal(target.path)
    query = {"mode": "ro", "uri": "true"} if pending else {"immutable": "1", "uri": "true"}
    driver = target.url.drivername if target.encrypted else "sqlite+pysqlite"
    return Target(target.url.set(drivername=driver, database=f"file:{target.path}", query=query), target.path, True)


def looks_encrypted(path: Path) -> bool:
    """The file starts like an encrypted one (random bytes): not a plain SQLite database, not blank, not text."""
    try:
        with path.open("rb") as file:
            head = file.read(len(SQLITE_HEADER))
    except OSError:
        return False
    if len(head) < len(SQLITE_HEADER) or head == SQLITE_HEADER or head.strip(b"\x00") == b"":
        return False
    # An encrypted file starts with 16 random bytes; text (or any other printable start) is not that.
    return not all(32 <= byte < 127 or byte in b"\t\r\n" for byte in head)


def _parse(text: str) -> Target:
    text = text.strip()
    if not text:
        raise DatabaseAddressError("No database was named.", "Give a file path or a database URL.")
    if "://" not in text:
        path = Path(text).expanduser().resolve()
        return Target(URL.create("sqlite+pysqlite", database=str(path)), path)
    try:
        url = make_url(text)
    except ArgumentError as error:
        raise DatabaseAddressError(
            f"The database address {text!r} is not understood.",
            "Give a file path, or a URL such as postgresql://user@server/sclerochart.",
        ) from error
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            raise DatabaseAddressError(
                "An in-memory database would lose every record when the program closes.",
                "Give a file path instead.",
            )
        database = url.database.removeprefix("file:")
        path = Path(database).expanduser().resolve()
        mode = url.query.get("mode")
        if mode is None:
            return Target(url.set(drivername="sqlite+pysqlite", database=str(path), query={}), path)
        if mode not in ("ro", "rw"):
            raise DatabaseAddressError(
                f"The SQLite mode {mode!r} is not supported.", "Use mode=ro (read-only) or none."
            )
        # SQLite's URI form keeps the mode: sqlite:///PATH?mode=ro opens the file read-only.
        return Target(
            url.set(drivername="sqlite+pysqlite", database=f"file:{path}", query={"mode": mode, "uri": "true"}), path
        )
    if url.get_backend_name() == "postgresql":
        if url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        return Target(url, None)
    raise DatabaseAddressError(
        f"ScleroChart cannot use a {url.get_backend_name()} database.",
        "Use a file path (SQLite) or a postgresql:// URL.",
    )


def _sqlite_on_connect(busy_timeout_ms: int, immutable: bool = False) -> Any:
    def on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # Let SQLAlchemy's "begin" hook issue BEGIN so that DDL and every statement run in our transaction.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            if type(dbapi_connection).__module__.startswith("sqlcipher3"):
                cursor.execute("PRAGMA cipher_log_level = NONE")  # a wrong passphrase is said in words, not logged
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            cursor.execute("PRAGMA foreign_keys = ON")
            if not immutable:  # a file read as it is keeps its journal mode; nothing is written
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = FULL")
        finally:
            cursor.close()

    return on_connect


def _sqlite_on_begin(connection: Any) -> None:
    mode = connection.get_execution_options().get(BEGIN_OPTION, "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def make_engine(target: Target, *, create: bool, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> Engine:
    """An engine for the target; for SQLite, DatabaseMissingError when the file is absent and not to be made."""
    if target.path is None:
        # A server that does not answer is reported after this wait, not after the system's TCP timeout (minutes),
        # while the sign-in window waits on it; `?connect_timeout=N` in the address sets another.
        waits = {} if "connect_timeout" in target.url.query else {"connect_timeout": SERVER_CONNECT_TIMEOUT_S}
        try:
            return create_engine(target.url, pool_pre_ping=True, connect_args=waits)
        except (ImportError, ArgumentError) as error:
            raise DatabaseAddressError(
                f"ScleroChart cannot reach {target.display}: the PostgreSQL driver is not installed.",
                "Install ScleroChart with its 'postgres' extra (pip install 'sclerochart[postgres]').",
            ) from error
    path = target.path
    if path.is_dir():
        raise DatabaseAddressError(f"{path} is a folder, not a database file.", "Name a file inside it instead.")
    if not path.exists():
        if not create:
            raise DatabaseMissingError(
                f"There is no database at {path}.",
                "Check the path, or start ScleroChart once (or run 'sclerochart demo') to create one.",
            )
        if not path.parent.is_dir():
            raise DatabaseMissingError(
                f"The folder {path.parent} does not exist, so no database can be made there.",
                "Create the folder first or choose another place.",
            )
    elif not os.access(path, os.R_OK):
        raise DatabaseMissingError(f"The database {path} may not be read by you.", "Ask whoever manages this computer.")
    try:
        engine = create_engine(target.url)
    except ImportError as error:
        raise DatabaseAddressError(
            f"The database {path} is encrypted, and this installation of ScleroChart cannot read encrypted files.",
            "Install ScleroChart with its 'encryption' part (pip install 'sclerochart[encryption]').",
        ) from error
    event.listen(engine, "connect", _sqlite_on_connect(busy_timeout_ms, target.immutable))
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine
