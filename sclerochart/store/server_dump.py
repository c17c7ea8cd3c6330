"""Copies of a PostgreSQL database: pg_dump's custom format from one snapshot, checked with pg_restore --list."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

from sqlalchemy import Connection, text

from sclerochart import paths
from sclerochart.domain.backups import BackupCopy, Holdings, copy_name
from sclerochart.store.backups import MANIFEST_SUFFIX, PARTIAL_SUFFIX, BackupError, folder_problem, write_manifest
from sclerochart.store.database import Database

DUMP_EXTENSION = ".dump"
CLIENT_TOOLS_HINT = (
    "Install the PostgreSQL client tools on this computer (Debian or Ubuntu: 'apt-get install postgresql-client'; "
    "Windows and macOS: the PostgreSQL installer's 'Command Line Tools'), or back the database up on the server "
    "itself with pg_dump."
)


def find_tool(name: str) -> Path | None:
    """pg_dump or pg_restore: on the PATH, else in Debian's newest /usr/lib/postgresql/N/bin."""
    found = shutil.which(name)
    if found:
        return Path(found)
    versions = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: p.parent.parent.name)
    return versions[-1] if versions else None


def dump_server(db: Database, folder: Path, reason: str, now: dt.datetime) -> BackupCopy:
    """Dump the server database into the folder with pg_dump (custom format) and check the dump.

    The dump is taken from one snapshot, which also gives the row counts the description records.

    Raises:
        BackupError: pg_dump is not installed, the folder cannot be written, or pg_dump or the check failed.
    """
    pg_dump, pg_restore = find_tool("pg_dump"), find_tool("pg_restore")
    if pg_dump is None or pg_restore is None:
        raise BackupError("pg_dump, which copies a PostgreSQL database, is not installed here.", CLIENT_TOOLS_HINT)
    problem = folder_problem(folder)
    if problem is not None:
        raise BackupError(f"The backup folder {folder} cannot be written ({problem}).", "Choose another folder.")
    url = db.target.url
    name = url.database or "sclerochart"
    target = folder / copy_name(name, reason, now, DUMP_EXTENSION)
    partial = target.with_name(target.name + PARTIAL_SUFFIX)
    # pg_dump's own settings (PGSSLMODE, PGHOST …) pass; the program's secrets do not.
    environment = {name: value for name, value in os.environ.items() if not name.startswith("SCLEROCHART_")}
    if url.password:
        environment["PGPASSWORD"] = str(url.password)  # never on the command line, where others could read it
    address = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    try:
        with db.engine.connect() as connection:
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
                holds = _holdings(connection)
                schema = str(connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one())
                paths.private_file(partial)
                _run([str(pg_dump), "--format=custom", f"--snapshot={snapshot}", f"--file={partial}",
                      f"--dbname={address}"], environment)  # fmt: skip
        _run([str(pg_restore), "--list", str(partial)], environment)
        digest = hashlib.sha256(partial.read_bytes()).hexdigest()
        copy = BackupCopy(target, now, reason, partial.stat().st_size, digest, schema, holds, name)
        write_manifest(copy, "pg_restore --list reads the whole archive; rows counted in the dump's snapshot")
        partial.replace(target)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
            target.with_name(target.name + MANIFEST_SUFFIX).unlink(missing_ok=True)
        raise
    return copy


def _holdings(connection: Connection) -> Holdings:
    execute = connection.execute
    tables = [
        str(row[0])
        for row in execute(text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"))
    ]
    rows = {table: int(execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one()) for table in tables}
    newest = execute(text("SELECT max(started_at) FROM treatment_sessions")).scalar_one()
    return Holdings(rows.get("patients", 0), rows.get("treatment_sessions", 0), newest, rows)


def _run(command: list[str], environment: dict[str, str]) -> None:
    try:
        done = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=3600, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise BackupError(f"{Path(command[0]).name} could not be run ({error}).", CLIENT_TOOLS_HINT) from error
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip().splitlines()
        raise BackupError(
            f"{Path(command[0]).name} stopped with an error: {said[-1] if said else done.returncode}.",
            "Check that this computer reaches the server and that the database user may read every table.",
        )
