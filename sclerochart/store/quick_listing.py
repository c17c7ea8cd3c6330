"""The command line's patient list read straight from a SQLite file, without loading SQLAlchemy (a tenth of a second).

`sclerochart patients` answers from here when the database is a plain SQLite file at this program's schema
revision: the search's own steps (`search_steps`) run its own statements (`search_sql`, compiled from the
store's and held equal to them by a test) on the sqlite3 driver, reading only, so the rows are the ones the
store would give. Anything else (a server, an encrypted, missing, damaged, busy or older file, a query of more
than three words, any error at all) gets None: the command then opens the database through the store, which
brings the file up to date or says in words what is wrong.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Hashable, Mapping, Sequence
from pathlib import Path
from typing import Any

from sclerochart.domain.names import NameOrder
from sclerochart.domain.patient_hit import PatientHit
from sclerochart.store import search_steps
from sclerochart.store.revision import HEAD_REVISION
from sclerochart.store.search_sql import TEXTS

_SQLITE_HEADER = b"SQLite format 3\x00"
_BUSY_TIMEOUT_MS = 2000
"""How long a read waits for a file another copy is writing before leaving it to the store (which waits longer)."""


class _Missing(Exception):
    """A statement this module does not hold (a query of more words than `search_sql` was made for)."""


class _OnFile:
    """The search's statements run on a read-only sqlite3 connection."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def rows(self, key: Hashable, parameters: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
        try:
            text, fixed = TEXTS[key]
        except KeyError as error:
            raise _Missing(key) from error
        values = {
            name: value.isoformat() if isinstance(value, dt.date) else value for name, value in parameters.items()
        }
        return self.connection.execute(text, {**fixed, **values}).fetchall()


def plain_file(where: str) -> Path | None:
    """The SQLite file a path names, as the store resolves it, when it is one that is not encrypted; else None."""
    text = where.strip()
    if not text or "://" in text:
        return None
    path = Path(text).expanduser().resolve()
    try:
        with path.open("rb") as file:
            return path if file.read(len(_SQLITE_HEADER)) == _SQLITE_HEADER else None
    except OSError:
        return None


def patient_hits(where: str, query: str, include_archived: bool, limit: int) -> tuple[PatientHit, ...] | None:
    """The patients the store's search gives for the query, read from the file; None to ask the store instead."""
    path = plain_file(where)
    if path is None:
        return None
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=_BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error:
        return None
    try:
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        if revision != [(HEAD_REVISION,)]:
            return None
        rows = search_steps.find(_OnFile(connection), query, include_archived, limit)
        return tuple(_hit(row) for row in rows)
    except (sqlite3.Error, _Missing, ValueError):
        return None
    finally:
        connection.close()


def _hit(row: Sequence[Any]) -> PatientHit:
    """A line of the list from a row (SQLite holds a day as text, a flag as a number)."""
    born = dt.date.fromisoformat(row[4]) if row[4] is not None else None
    return PatientHit(row[0], row[1], row[2], row[3], born, bool(row[5]), NameOrder(row[6]))
