"""Verified copies of a SQLite database: taken with SQLite's online backup, checked, listed, rotated, restored.

A copy is written under a temporary name into the backup folder, checked there (SQLite's integrity check,
and the rows of every table against the database at the moment of the copy), and only then given its
name, beside a small description file (<copy>.json) that records what it holds and its checksum. A copy
without its description is not a verified copy and is never offered for a restore.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import json
import logging
import os
import sqlite3
import time
import urllib.parse
from pathlib import Path
from typing import Any, cast

from sclerochart import paths
from sclerochart.domain.backups import BackupCopy, Holdings, Keep, copies_to_keep, copy_name
from sclerochart.logs import log_slow
from sclerochart.store.engine import has_pending_journal, on_read_only_medium
from sclerochart.store.errors import DatabaseCorruptError, DatabaseError, DiskFullError

MANIFEST_FORMAT = 1
MANIFEST_SUFFIX = ".json"
PARTIAL_SUFFIX = ".partial"
DEFAULT_FOLDER_NAME = "Backups"
_CHUNK = 1 << 20
SLOW_BACKUP_S = 30.0
"""A copy (made and checked) taking longer than this is logged as slow."""

log = logging.getLogger(__name__)


class BackupError(DatabaseError):
    """A copy could not be made, checked or restored; nothing that was stored is changed."""


def default_folder(database: Path) -> Path:
    """Where copies go when the clinic has chosen no folder: 'Backups' beside the database."""
    return database.parent / DEFAULT_FOLDER_NAME


def pointer_path(database: Path) -> Path:
    """The small file beside the database that remembers where its copies go (read when the database is gone)."""
    return database.with_name(database.name + ".backups.json")


def _pointer(database: Path) -> dict[str, Any]:
    try:
        data = json.loads(pointer_path(database).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def remembered_folders(database: Path) -> list[Path]:
    """The backup folders copies of the database went to, newest first, as remembered beside it."""
    data = _pointer(database)
    folders = data.get("folders") or ([data["folder"]] if isinstance(data.get("folder"), str) else [])
    return [Path(folder) for folder in folders if isinstance(folder, str)]


def remembered_folder(database: Path) -> Path | None:
    """The backup folder the last copy went to, or None."""
    folders = remembered_folders(database)
    return folders[0] if folders else None


def remembered_encryption(database: Path) -> bool | None:
    """Whether the database was encrypted when last copied or converted; None when nothing is remembered."""
    value = _pointer(database).get("encrypted")
    return value if isinstance(value, bool) else None


def remembered_lineage(database: Path) -> str:
    """The lineage of the database's copies (see Holdings.lineage), or "" when none is remembered."""
    value = _pointer(database).get("lineage")
    return value if isinstance(value, str) else ""


def remember(database: Path, *, folder: Path | None = None, encrypted: bool | None = None, lineage: str = "") -> None:
    """Note beside the database where its copies went, whether it is encrypted, and its lineage.

    Read when the database is gone or damaged. Best effort: a folder that cannot be written keeps no note.
    """
    before = _pointer(database)
    data = dict(before)
    if folder is not None:
        folders = [str(folder), *(f for f in before.get("folders", ()) if isinstance(f, str) and f != str(folder))]
        data["folders"] = folders[:8]
        data.pop("folder", None)
    if encrypted is not None:
        data["encrypted"] = encrypted
    if lineage:
        data["lineage"] = lineage
    if data == before:
        return
    pointer = pointer_path(database)
    with contextlib.suppress(OSError):
        partial = pointer.with_name(pointer.name + PARTIAL_SUFFIX)
        partial.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        partial.replace(pointer)


def file_uri(path: Path, **options: str) -> str:
    quoted = urllib.parse.quote(str(path))
    return f"file:{quoted}?{urllib.parse.urlencode(options)}" if options else f"file:{quoted}"


def connect(uri: str, key: str | None, **options: Any) -> sqlite3.Connection:
    """A connection by URI; with a key, through SQLCipher and keyed before anything is read."""
    if key is None:
        return cast(sqlite3.Connection, sqlite3.connect(uri, uri=True, **options))
    import sqlcipher3  # type: ignore[import-untyped]  # only present with the 'encryption' part installed

    connection = cast(sqlite3.Connection, sqlcipher3.connect(uri, uri=True, **options))
    connection.execute("PRAGMA cipher_log_level = NONE")
    if key:  # "": a plain file read through SQLCipher (to export it encrypted)
        connection.execute("PRAGMA key = " + quoted(key))
    return connection


def driver_errors() -> tuple[type[Exception], ...]:
    """The errors SQLite's drivers raise: the standard one's, and SQLCipher's when it is installed."""
    try:
        import sqlcipher3
    except ImportError:
        return (sqlite3.Error,)
    return (sqlite3.Error, sqlcipher3.dbapi2.Error)


def _tables(connection: sqlite3.Connection) -> list[str]:
    rows = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    return [str(row[0]) for row in rows]


def holdings(connection: sqlite3.Connection) -> Holdings:
    rows = {
        name: int(connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]) for name in _tables(connection)
    }
    newest = None
    if "treatment_sessions" in rows:
        value = connection.execute("SELECT max(started_at) FROM treatment_sessions").fetchone()[0]
        newest = dt.datetime.fromisoformat(value) if value else None
    return Holdings(rows.get("patients", 0), rows.get("treatment_sessions", 0), newest, rows, _lineage(connection))


def _lineage(connection: sqlite3.Connection) -> str:
    try:
        row = connection.execute("SELECT hash FROM audit_events ORDER BY id LIMIT 1").fetchone()
    except driver_errors():
        return ""  # a schema before the chained audit trail
    return str(row[0]) if row and row[0] else ""


def _schema(connection: sqlite3.Connection) -> str:
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return ""
    return str(row[0]) if row else ""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def fsync(path: Path) -> None:
    """Put a file (or, on POSIX, a folder's entries) on the disk before going on."""
    if path.is_dir() and os.name != "posix":
        return
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def check_copy(copy: Path, key: str | None) -> tuple[str, Holdings, str]:
    """SQLite's integrity check of a copy (read as it is, changing nothing): the problem ('' when none)."""
    connection = connect(file_uri(copy, immutable="1"), key)
    try:
        rows = connection.execute("PRAGMA integrity_check").fetchall()
        problem = "" if rows == [("ok",)] else "; ".join(str(row[0]) for row in rows[:3])
        return problem, holdings(connection), _schema(connection)
    except driver_errors() as error:
        return str(error), Holdings(0, 0, None), ""
    finally:
        connection.close()


def folder_problem(folder: Path) -> str | None:
    """Why copies cannot be written into the folder (created when missing), in words; None when they can."""
    if folder.exists() and not folder.is_dir():
        return "that is a file, not a folder"
    try:
        paths.private_folder(folder)
        probe = folder / f".sclerochart-probe-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        return str(error.strerror or error)
    return None


def _folder_ready(folder: Path) -> None:
    problem = folder_problem(folder)
    if problem is not None:
        raise BackupError(
            f"The backup folder {folder} cannot be written ({problem}), so no backup was made.",
            "Plug in the backup drive or connect the network folder, or choose another backup folder (File → "
            "Clinic settings → Backups, or --to). Your records are safe; nothing was changed.",
        )


def take_backup(database: Path, folder: Path, reason: str, now: dt.datetime, key: str | None = None) -> BackupCopy:
    """Copy the database into the folder, check the copy, and describe it; the verified copy.

    The copy is taken from one consistent moment of the database (other rooms may go on writing) and is
    given its name only once checked, so the folder never holds something that looks like a good copy and
    is not.

    Raises:
        BackupError: the folder cannot be written, the disk is full, or the copy does not check out.
    """
    started = time.monotonic()
    log.info("backup of %s into %s (%s) started", database, folder, reason)
    try:
        copy = _take_backup(database, folder, reason, now, key)
    except DatabaseError as error:
        took = time.monotonic() - started
        log.warning("backup of %s into %s failed after %.2f s: %s", database, folder, took, error.message)
        raise
    except Exception:
        log.exception("backup of %s into %s failed after %.2f s", database, folder, time.monotonic() - started)
        raise
    took = time.monotonic() - started
    log.info(
        "backup made and verified: %s (%d bytes, schema %s, %d patients, %d sessions) in %.2f s",
        copy.path,
        copy.size,
        copy.schema or "unknown",
        copy.holds.patients,
        copy.holds.sessions,
        took,
    )
    log_slow(f"backup of {database} ({copy.size} bytes)", took, SLOW_BACKUP_S, log)
    return copy


def _take_backup(database: Path, folder: Path, reason: str, now: dt.datetime, key: str | None) -> BackupCopy:
    _folder_ready(folder)
    name = copy_name(database.name, reason, now)
    target = folder / name
    number = 2
    while target.exists() or target.with_name(target.name + MANIFEST_SUFFIX).exists():
        target = folder / copy_name(database.name, f"{reason}-{number}", now)
        number += 1
    partial = target.with_name(target.name + PARTIAL_SUFFIX)
    try:
        source_rows = _copy(database, partial, key)
        fsync(partial)
        problem, holds, schema = check_copy(partial, key)
        if problem:
            raise _failed_check(database, folder, problem, key)
        if holds.rows != source_rows:
            raise BackupError(
                f"The backup copy in {folder} does not hold the same records as the database, so it was not kept.",
                "Try again; if it fails again, choose another backup folder (the drive may be failing).",
            )
        copy = BackupCopy(
            target,
            now,
            reason,
            partial.stat().st_size,
            sha256_of(partial),
            schema,
            holds,
            database.name,
            key is not None,
        )
        write_manifest(copy)
        partial.replace(target)
        fsync(folder)
    except BaseException as error:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise os_problem(error, folder) from error
        if isinstance(error, driver_errors()):
            raise _sqlite_problem(error, database, folder) from error
        raise
    remember(database, folder=folder, encrypted=key is not None, lineage=holds.lineage)
    return copy


def _copy(database: Path, partial: Path, key: str | None) -> dict[str, int]:
    """SQLite's online backup of the database into `partial`; the rows per table at that moment."""
    partial.unlink(missing_ok=True)
    paths.private_file(partial)  # a copy is never readable by more people than its original: owner only
    # On a read-only disk no -shm can be made: read as it is, unless changes wait in its -wal (read through them).
    as_it_is = on_read_only_medium(database) and not has_pending_journal(database)
    reading = {"immutable": "1"} if as_it_is else {"mode": "ro"}
    source = connect(file_uri(database, **reading), key, isolation_level=None, timeout=30)
    try:
        source.execute("BEGIN")  # one snapshot: the rows counted are the rows copied
        rows = dict(holdings(source).rows)
        # nolock: a network share may not lock files; nobody else uses this file before it is renamed.
        target = connect(file_uri(partial, nolock="1"), key, isolation_level=None)
        try:
            target.execute("PRAGMA journal_mode = OFF")
            source.backup(target)
        finally:
            target.close()
        source.execute("COMMIT")
        return rows
    finally:
        source.close()


def quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


SQLITE_CHECKS = "integrity_check ok; rows per table equal to the database's at the moment of the copy"


def write_manifest(copy: BackupCopy, checks: str = SQLITE_CHECKS) -> None:
    manifest = copy.path.with_name(copy.path.name + MANIFEST_SUFFIX)
    data = {
        "format": MANIFEST_FORMAT,
        "database": copy.database_name,
        "made_at": copy.made_at.isoformat(),
        "reason": copy.reason,
        "size": copy.size,
        "sha256": copy.sha256,
        "schema": copy.schema,
        "encrypted": copy.encrypted,
        "patients": copy.holds.patients,
        "sessions": copy.holds.sessions,
        "newest_session": copy.holds.newest_session.isoformat() if copy.holds.newest_session else None,
        "rows": dict(copy.holds.rows),
        "lineage": copy.holds.lineage,
        "verified": checks,
    }
    partial = manifest.with_name(manifest.name + PARTIAL_SUFFIX)
    partial.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    fsync(partial)
    partial.replace(manifest)


def read_copy(path: Path) -> BackupCopy | None:
    """The described copy at `path` (a copy file or its .json), or None when it has no valid description."""
    if path.name.endswith(MANIFEST_SUFFIX):
        path = path.with_name(path.name.removesuffix(MANIFEST_SUFFIX))
    try:
        data: dict[str, Any] = json.loads(path.with_name(path.name + MANIFEST_SUFFIX).read_text(encoding="utf-8"))
        if data.get("format") != MANIFEST_FORMAT or not path.is_file():
            return None
        newest = data.get("newest_session")
        holds = Holdings(
            int(data["patients"]),
            int(data["sessions"]),
            dt.datetime.fromisoformat(newest) if newest else None,
            {str(k): int(v) for k, v in dict(data.get("rows", {})).items()},
            str(data.get("lineage", "")),
        )
        return BackupCopy(
            path,
            dt.datetime.fromisoformat(data["made_at"]),
            str(data["reason"]),
            int(data["size"]),
            str(data["sha256"]),
            str(data.get("schema", "")),
            holds,
            str(data["database"]),
            bool(data.get("encrypted", False)),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def list_copies(folder: Path, database_name: str | None = None, lineage: str = "") -> list[BackupCopy]:
    """The described copies in a folder, newest first; [] for a missing folder.

    With `database_name`, only copies of a database of that file name; with `lineage` too, not those of
    another clinic's database of the same name (two computers backing up into one network folder).
    """
    try:
        manifests = sorted(folder.glob("*" + MANIFEST_SUFFIX))
    except OSError:
        return []
    copies = [copy for manifest in manifests if (copy := read_copy(manifest)) is not None]
    if database_name is not None:
        copies = [copy for copy in copies if copy.database_name == database_name]
    if lineage:
        copies = [copy for copy in copies if copy.holds.lineage in ("", lineage)]
    return sorted(copies, key=lambda copy: copy.made_at, reverse=True)


def rotate(folder: Path, database_name: str, keep: Keep, lineage: str = "") -> list[Path]:
    """Remove the copies of one database that rotation does not keep, and leftovers of unfinished copies.

    Copies of other databases (another name, or the same name and another lineage) and files that are not
    copies are never touched.
    """
    copies = list_copies(folder, database_name)
    if lineage:
        copies = [copy for copy in copies if copy.holds.lineage == lineage]
    kept = copies_to_keep(copies, keep)
    removed = []
    for copy in copies:
        if copy.path in kept:
            continue
        with contextlib.suppress(OSError):
            copy.path.unlink()
            copy.path.with_name(copy.path.name + MANIFEST_SUFFIX).unlink(missing_ok=True)
            removed.append(copy.path)
    stem = database_name.rsplit(".", 1)[0]
    leftovers = 0
    for leftover in folder.glob(f"{stem}-*{PARTIAL_SUFFIX}"):
        with contextlib.suppress(OSError):
            if _older_than(leftover, dt.timedelta(hours=1)):
                leftover.unlink()
                leftovers += 1
    if removed or leftovers:
        log.info(
            "backups rotated in %s: %d of %d copies of %s removed (%s), %d unfinished copies removed",
            folder,
            len(removed),
            len(copies),
            database_name,
            ", ".join(path.name for path in removed) or "none",
            leftovers,
        )
    return removed


def _older_than(path: Path, age: dt.timedelta) -> bool:
    """Not written to for `age` (an unfinished copy of a program that stopped, not one being written now)."""
    return dt.datetime.now().timestamp() - path.stat().st_mtime > age.total_seconds()


def _failed_check(database: Path, folder: Path, problem: str, key: str | None) -> DatabaseError:
    """Which is damaged when a copy fails its check: the database itself, or the copy (the backup drive)."""
    source = connect(file_uri(database, mode="ro"), key)
    try:
        rows = source.execute("PRAGMA quick_check").fetchall()
        damaged = rows != [("ok",)]
    except driver_errors():
        damaged = True
    finally:
        source.close()
    if damaged:
        return DatabaseCorruptError(
            f"The database {database} itself is damaged ({problem}), so no good backup can be made of it.",
            "Restore the newest verified backup (File → Restore from backup…, or 'sclerochart restore').",
        )
    return BackupError(
        f"The backup copy written into {folder} did not pass the integrity check ({problem}), so it was not kept.",
        "Try again; if it fails again, choose another backup folder (the drive may be failing).",
    )


def os_problem(error: OSError, folder: Path) -> DatabaseError:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFullError(
            f"The disk of {folder} is full, so the copy could not be written. Nothing else was changed.",
            "Free some space there (or choose another backup folder), then try again.",
        )
    return BackupError(
        f"{folder} could not be written ({error.strerror or error}). Nothing else was changed.",
        "Check that the drive is connected and may be written, then try again.",
    )


def _sqlite_problem(error: Exception, database: Path, folder: Path) -> DatabaseError:
    text = str(error)
    if "full" in text:
        return DiskFullError(
            f"The disk is full, so no backup of {database.name} could be written into {folder}.",
            "Free some space (or choose another backup folder), then try again.",
        )
    if "malformed" in text or "not a database" in text:
        return DatabaseCorruptError(
            f"The database {database} itself is damaged ({text}), so no good backup can be made of it.",
            "Restore the newest verified backup (File → Restore from backup…, or 'sclerochart restore').",
        )
    if "locked" in text or "busy" in text:
        return BackupError(
            f"The database {database} was busy for too long, so no backup was made this time.",
            "It is tried again later; you can also make one from the File menu.",
        )
    return BackupError(
        f"No backup of {database} could be made ({text}).",
        "Check the database with 'sclerochart check' and the backup folder, then try again.",
    )
