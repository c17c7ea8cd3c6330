"""Opening a database (creating or upgrading it safely) and the short transactions everything runs in."""

from __future__ import annotations

import datetime as dt
import glob
import logging
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy.exc
import sqlalchemy.orm.exc
from filelock import FileLock, Timeout
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import SingletonThreadPool

from sclerochart import paths
from sclerochart.domain.errors import ConflictError, StaleError, UserError
from sclerochart.logs import log_slow
from sclerochart.store.backups import (
    BackupError,
    default_folder,
    remembered_encryption,
    remembered_folder,
    take_backup,
)
from sclerochart.store.engine import (
    BEGIN_OPTION,
    DEFAULT_BUSY_TIMEOUT_MS,
    Target,
    looks_encrypted,
    make_engine,
    on_read_only_medium,
    parse_target,
    read_only_copy,
)
from sclerochart.store.errors import (
    DatabaseCorruptError,
    DatabaseError,
    DatabaseLockedError,
    DatabaseReadOnlyError,
    EncryptedDatabaseError,
    WrongPassphraseError,
    translate,
)
from sclerochart.store.migrate import SchemaState, schema_state, take_migration_lock, upgrade

UnitOfWork = Session
"""One transaction in progress (a SQLAlchemy Session, never called "session": that word is a treatment session)."""


def core(tx: UnitOfWork) -> Connection:
    """The unit of work's own connection, for statements built once and run without the ORM (a click's queries).

    No ORM object is built for what it reads, and a statement object built once keeps its compiled form. What
    the unit of work holds unsaved is flushed first, as the ORM does before a query of its own.
    """
    if tx.autoflush:
        tx.flush()  # returns at once when nothing is pending
    return tx.connection()


PASSPHRASE_VARIABLE = paths.PASSPHRASE_VARIABLE
"""Where a script gives the clinic passphrase of an encrypted database."""

OPEN_LOCK_TIMEOUT_S = 60.0
"""How long a copy starting up waits for another one that is creating or upgrading the same SQLite file."""

SLOW_MIGRATION_S = 30.0
"""A schema upgrade taking longer than this is logged as slow."""

log = logging.getLogger(__name__)


class Database:
    """An open ScleroChart database at the current schema revision."""

    def __init__(self, engine: Engine, target: Target) -> None:
        self.engine = engine
        self.target = target
        # PostgreSQL: each read sees one snapshot, so a session and its sites come from the same moment.
        reader = engine if self.is_sqlite else engine.execution_options(isolation_level="REPEATABLE READ")
        self._reader = reader
        self._read_sessions = sessionmaker(reader, expire_on_commit=False, autoflush=False)
        writer = engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"}) if self.is_sqlite else engine
        self._write_sessions = sessionmaker(writer, expire_on_commit=False, autoflush=True)

    @property
    def is_sqlite(self) -> bool:
        """True for a local SQLite file, False for a server."""
        return self.target.path is not None

    @property
    def display(self) -> str:
        """The file path or URL, fit to show a user."""
        return self.target.display

    @property
    def read_only(self) -> bool:
        """Opened for reading only (a file on a read-only medium, or ?mode=ro): no change can be stored."""
        return self.target.immutable or self.target.url.query.get("mode") == "ro"

    @property
    def passphrase(self) -> str | None:
        """The clinic passphrase of an encrypted file (in memory only: backups are encrypted with it too)."""
        return self.target.passphrase

    @contextmanager
    def read(self) -> Iterator[UnitOfWork]:
        """A read-only unit of work; driver errors come out as DatabaseError in plain words."""
        try:
            with self._read_sessions() as tx, tx.begin():
                yield tx
        except sqlalchemy.exc.DBAPIError as error:
            raise translate(error, self.display) from error

    @contextmanager
    def read_connection(self) -> Iterator[Connection]:
        """A read-only transaction on a plain connection, no unit of work: for reads run at every keystroke.

        The same snapshot as `read` (one per transaction on PostgreSQL); driver errors in plain words.
        """
        try:
            with self._reader.connect() as connection, connection.begin():
                yield connection
        except sqlalchemy.exc.DBAPIError as error:
            raise translate(error, self.display) from error

    @contextmanager
    def write(self) -> Iterator[UnitOfWork]:
        """One write transaction: all of it is on disk when the block ends, or none of it.

        On SQLite the write lock is taken at the start (BEGIN IMMEDIATE) so two rooms never deadlock
        half-way through a change.
        """
        if self.target.immutable:
            raise DatabaseReadOnlyError(
                f"The database {self.display} is on a disk that cannot be written, so it is open for reading only: "
                "nothing can be changed.",
                "To make changes, copy the file onto a disk that can be written and open the copy.",
            )
        try:
            with self._write_sessions() as tx, tx.begin():
                yield tx
        except sqlalchemy.orm.exc.StaleDataError as error:
            raise StaleError(
                "Another room changed this record at the same moment, so your change was not saved.",
                "The screen now shows what is stored. Make your change again if it is still needed.",
            ) from error
        except sqlalchemy.exc.IntegrityError as error:
            raise ConflictError(
                "The change clashes with a record already stored (for example a chart number in use).",
                "Nothing was saved. Check the values and try again.",
            ) from error
        except sqlalchemy.exc.DBAPIError as error:
            raise translate(error, self.display) from error

    def close(self) -> None:
        """Release every connection."""
        self.engine.dispose()

    def release_thread_connections(self) -> None:
        """Close the connection the calling thread holds, when the driver keeps one per thread (SQLCipher's).

        For a database opened in a helper thread and used in another: that thread's connection would stay open,
        taking one of the pool's places. Other drivers' pools hold no connection per thread: nothing to do.
        """
        if isinstance(self.engine.pool, SingletonThreadPool):
            self.engine.pool.dispose()


def remove_sqlite_files(path: Path) -> None:
    """Delete a SQLite database file with its -wal and -shm files (one this program has just made)."""
    for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        candidate.unlink(missing_ok=True)


def open_database(
    where: str,
    *,
    passphrase: str | None = None,
    create: bool = True,
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    backup_before_upgrade: bool = True,
) -> Database:
    """Open the database at a path or URL and bring its schema up to date.

    A brand-new file gets the whole schema; a file at an older revision is first copied beside itself
    (SQLite) and then upgraded in one transaction, so a failed upgrade changes nothing.

    Raises:
        DatabaseError: in plain words, when the database is missing, locked, read-only, damaged, newer than
            this program, not ScleroChart's, or the address is not usable.
    """
    target = parse_target(where, passphrase)
    if target.path is not None and target.path.is_file() and on_read_only_medium(target.path):
        target = read_only_copy(target)
    with _preparing(target):
        return _open(target, create, busy_timeout_ms, backup_before_upgrade)


@contextmanager
def _preparing(target: Target) -> Iterator[None]:
    """One copy of the program at a time creates or upgrades a SQLite file (a lock file beside it).

    PostgreSQL serialises the upgrade itself with an advisory lock. Where no lock file can be made (a
    read-only folder), nothing can be created or upgraded there either, and the file is opened as it is.
    """
    if target.path is None or not target.path.parent.is_dir():
        yield
        return
    lock = FileLock(str(target.path.with_name(target.path.name + ".lock")), timeout=OPEN_LOCK_TIMEOUT_S)
    try:
        lock.acquire()
    except Timeout as error:
        raise DatabaseLockedError(
            f"The database {target.display} is being prepared by another copy of ScleroChart that does not finish.",
            "Wait a minute and start again. If this repeats, close ScleroChart on the other computers.",
        ) from error
    except OSError:
        yield
        return
    try:
        yield
    finally:
        lock.release()


def _refuse_an_empty_file(target: Target) -> None:
    """A file of 0 bytes was cut short (a full disk, an interrupted copy): never opened as a new, empty clinic."""
    path = target.path
    if path is not None and path.is_file() and path.stat().st_size == 0:
        raise DatabaseCorruptError(
            f"The database file {target.display} is empty (0 bytes): it was cut short, by a full disk or an "
            "interrupted copy. ScleroChart does not open it as a new clinic.",
            "Restore the file from a backup. To start a new clinic instead, move this file aside and start again.",
        )


def remove_leftover_copies(path: Path) -> list[Path]:
    """Delete copies of the database that were being written when a program stopped (<name>-...partial)."""
    removed = []
    for leftover in path.parent.glob(f"{glob.escape(path.stem)}-*.partial"):
        try:
            leftover.unlink()
        except OSError:
            continue  # not ours to remove (another user's, a read-only folder): left as it is
        removed.append(leftover)
    return removed


def _opened_read_only(target: Target) -> bool:
    """The address asks SQLite for a read-only connection (?mode=ro), or the file is on a read-only medium."""
    return target.url.query.get("mode") == "ro" or target.immutable


def _migrate(engine: Engine, display: str, *, sqlite: bool) -> None:
    """Bring the schema up to date in one transaction.

    On SQLite the foreign keys are off while it runs: a migration that rebuilds a table (Alembic's batch mode
    copies it, drops the old one and renames the copy) would otherwise make SQLite delete, by cascade, every
    row that points at the dropped table — every site of every session when the sessions' table is rebuilt.
    Before the transaction commits, SQLite checks that every row still points at a stored one.
    """
    ran: SchemaState | None = None  # the state it was brought up from, once an upgrade started
    started = 0.0
    with engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"}).connect() as connection:
        raw = connection.connection.dbapi_connection if sqlite else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys = OFF")  # outside a transaction, or SQLite ignores it
        try:
            with connection.begin():
                # Two copies starting at once: the second waits here for the first, then finds nothing to do.
                take_migration_lock(connection)
                state = schema_state(connection, display)
                if not state.up_to_date:
                    ran, started = state, time.monotonic()
                    log.info("migrating %s from revision %s to %s", display, state.current or "(none: new)", state.head)
                    upgrade(connection)
                if raw is not None:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").first()
                    if broken is not None:
                        raise DatabaseError(
                            f"Bringing the database {display} up to date would leave a {broken[0]} record pointing "
                            "at one that is not there. Nothing was changed.",
                            "Keep the file as it is and tell whoever looks after ScleroChart.",
                        )
        except BaseException:
            if ran is not None:
                log.error(
                    "migration of %s from revision %s to %s failed after %.2f s; nothing was changed",
                    display,
                    ran.current or "(none: new)",
                    ran.head,
                    time.monotonic() - started,
                    exc_info=True,
                )
            raise
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys = ON")
    if ran is not None:
        took = time.monotonic() - started
        log.info("migrated %s from revision %s to %s in %.2f s", display, ran.current or "(none: new)", ran.head, took)
        log_slow(f"migration of {display} to {ran.head}", took, SLOW_MIGRATION_S, log)


def _copy_before_upgrade(path: Path, revision: str, key: str | None) -> None:
    """A verified copy in the backup folder before the schema changes (it joins the rotation of copies).

    When the clinic's backup folder cannot be written now (a drive not plugged in), the copy goes into the
    default folder beside the database instead: an upgrade never goes ahead without one.
    """
    now = dt.datetime.now().replace(microsecond=0)
    chosen = remembered_folder(path)
    if chosen is not None and chosen != default_folder(path):
        try:
            take_backup(path, chosen, f"before-{revision}", now, key)
            return
        except BackupError:
            log.warning("the copy before the upgrade could not go into %s: it goes beside the database", chosen)
    take_backup(path, default_folder(path), f"before-{revision}", now, key)


def needs_passphrase(path: Path) -> bool:
    """The file looks encrypted, and what is remembered beside it does not say it never was."""
    return path.is_file() and looks_encrypted(path) and not _remembered_plain(path)


def _refuse_without_passphrase(target: Target) -> None:
    """A file that does not read as a database is encrypted, unless it is remembered as plain (then damaged)."""
    if target.path is not None and not target.encrypted and target.path.is_file() and looks_encrypted(target.path):
        if _remembered_plain(target.path):
            raise DatabaseCorruptError(
                f"The database file {target.display} is damaged: its beginning can no longer be read.",
                "Restore it from a backup. Nothing was changed.",
            )
        raise EncryptedDatabaseError(
            f"The database {target.display} cannot be read as it is: it is encrypted with the clinic's passphrase "
            "(or it is damaged).",
            f"Give the clinic passphrase: the program asks for it; scripts set {PASSPHRASE_VARIABLE}.",
        )


def _remembered_plain(path: Path) -> bool:
    """The file was plain when it was last copied or converted (remembered beside it), so it is not encrypted."""
    return remembered_encryption(path) is False


def _open(target: Target, create: bool, busy_timeout_ms: int, backup_before_upgrade: bool) -> Database:
    _refuse_an_empty_file(target)
    _refuse_without_passphrase(target)
    if target.path is not None and target.path.parent.is_dir():
        remove_leftover_copies(target.path)  # inside the lock: no other copy is writing one now
    created = target.path is not None and not target.path.exists()
    engine = make_engine(target, create=create, busy_timeout_ms=busy_timeout_ms)
    try:
        if created and target.path is not None:
            # Owner only, whatever the umask; SQLite gives its -wal and -shm files the same permissions.
            paths.private_file(target.path)
        with engine.connect() as connection:
            state: SchemaState = schema_state(connection, target.display)
        if not state.up_to_date and _opened_read_only(target):
            raise DatabaseReadOnlyError(
                f"The database {target.display} is from an older ScleroChart and is opened read-only, so it cannot "
                "be brought up to date. Nothing was copied or changed.",
                "Open it once without ?mode=ro, as someone who may change it; then read-only again.",
            )
        if not state.up_to_date:
            if target.path is not None and not state.empty and backup_before_upgrade:
                _copy_before_upgrade(target.path, state.head, target.passphrase)
            _migrate(engine, target.display, sqlite=target.path is not None)
    except BaseException as error:
        engine.dispose()
        if created and target.path is not None:
            remove_sqlite_files(target.path)
        if isinstance(error, UserError):
            raise
        if isinstance(error, sqlalchemy.exc.DBAPIError | sqlite3.Error):
            translated = translate(error, target.display)
            if target.encrypted and isinstance(translated, DatabaseCorruptError):
                raise WrongPassphraseError(
                    f"The clinic passphrase does not open the database {target.display}.",
                    "Type it again, exactly (capitals count). Without it the records cannot be read.",
                ) from error
            raise translated from error
        if isinstance(error, OSError):
            raise DatabaseError(
                f"The database {target.display} could not be prepared: {error.strerror or error}.",
                "Check the disk and the folder's permissions. Nothing was changed.",
            ) from error
        raise
    return Database(engine, target)
