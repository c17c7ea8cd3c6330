"""Schema revisions: where a database stands, and bringing it up to date with Alembic.

Opening a database that is already up to date reads its revision with one query and compares it with
`HEAD_REVISION`; Alembic (about a tenth of a second to import) is loaded only when the schema has to change
or the revision is not this program's newest. A test holds `HEAD_REVISION` equal to the migrations' head.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text
from sqlalchemy.exc import DBAPIError

from sclerochart.store.errors import NotOurDatabaseError, SchemaTooNewError
from sclerochart.store.revision import HEAD_REVISION

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    from alembic.config import Config

    """The Alembic configuration of ScleroChart's migrations (no ini file needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


@cache
def _scripts() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest revision this version of ScleroChart knows."""
    head = _scripts().get_current_head()
    assert head is not None, "the migrations folder holds no revision"
    return head


def schema_known(revision: str) -> bool:
    """This program knows the revision (it is not from a newer ScleroChart)."""
    return _known(revision)


def _known(revision: str) -> bool:
    if revision == HEAD_REVISION:
        return True
    from alembic.util.exc import CommandError as AlembicError

    try:
        return _scripts().get_revision(revision) is not None
    except AlembicError:
        return False


@dataclass(frozen=True)
class SchemaState:
    """Where a database's schema stands against this program."""

    current: str | None
    head: str
    empty: bool

    @property
    def up_to_date(self) -> bool:
        """True when nothing needs to run."""
        return self.current == self.head


def schema_state(connection: Connection, where: str) -> SchemaState:
    """The database's revision; refuses a newer schema and a database that is not ScleroChart's."""
    current = _stored_revision(connection)
    if current == HEAD_REVISION:
        return SchemaState(current, HEAD_REVISION, False)
    from alembic.runtime.migration import MigrationContext

    current = MigrationContext.configure(connection).get_current_revision()
    head = head_revision()
    if current is None:
        tables = [name for name in inspect(connection).get_table_names() if not name.startswith("sqlite_")]
        if tables:
            raise NotOurDatabaseError(
                f"{where} is a database, but not a ScleroChart one (it holds tables such as {tables[0]!r}).",
                "Choose the ScleroChart database file, or a new file name to start a new one.",
            )
        return SchemaState(None, head, True)
    if current != head and not _known(current):
        raise SchemaTooNewError(
            f"{where} was written by a newer version of ScleroChart "
            f"(schema {current}; this program knows up to {head}).",
            "Update ScleroChart on this computer before opening this database. Nothing was changed.",
        )
    return SchemaState(current, head, False)


def _stored_revision(connection: Connection) -> str | None:
    """The revision in Alembic's version table, read with one query; None when the table is not there.

    On PostgreSQL a missing table aborts the transaction, so there the query runs in a savepoint.
    """
    query = text("SELECT version_num FROM alembic_version")
    try:
        if connection.dialect.name == "postgresql":
            with connection.begin_nested():
                rows = connection.execute(query).all()
        else:
            rows = connection.execute(query).all()
    except DBAPIError:
        return None
    return str(rows[0][0]) if len(rows) == 1 else None


MIGRATION_LOCK_KEY = 0x5C1E_0C4A
"""PostgreSQL advisory lock taken while the schema is brought up to date (any fixed number of ours)."""


def take_migration_lock(connection: Connection) -> None:
    """Hold the database's migration lock until the connection's transaction ends.

    On PostgreSQL an advisory transaction lock; on SQLite the transaction began with BEGIN IMMEDIATE, which
    already keeps every other writer out.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Run the migrations up to `revision` on the connection, inside its transaction."""
    from alembic import command

    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)
