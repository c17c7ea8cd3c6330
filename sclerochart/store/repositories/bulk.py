"""Writing many rows at once (the demo clinic and the benchmarks' data), bypassing the ORM."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import bindparam, insert, update

from sclerochart.store.database import UnitOfWork
from sclerochart.store.models import Base, FollowUpVisitRow, TreatmentSessionRow


def insert_rows(tx: UnitOfWork, model: type[Base], rows: Sequence[dict[str, Any]]) -> None:
    """Insert plain rows (column name to value) into the model's table in one executemany."""
    tx.connection().execute(insert(model), rows)


def sign_sessions(tx: UnitOfWork, rows: Sequence[dict[str, Any]]) -> None:
    """Mark draft sessions signed (id, signed_at, signed_by, signer_id, signature_meaning of each row) at once."""
    statement = (
        update(TreatmentSessionRow)
        .where(TreatmentSessionRow.id == bindparam("session"))
        .values(
            state="signed",
            signed_at=bindparam("when"),
            signed_by=bindparam("who"),
            signer_id=bindparam("signer"),
            signature_meaning=bindparam("meaning"),
        )
    )
    tx.connection().execute(
        statement,
        [
            {
                "session": row["id"],
                "when": row["signed_at"],
                "who": row["signed_by"],
                "signer": row["signer_id"],
                "meaning": row["signature_meaning"],
            }
            for row in rows
        ],
    )


def sign_visits(tx: UnitOfWork, rows: Sequence[dict[str, Any]]) -> None:
    """Mark draft follow-up visits signed (id, signed_at, signed_by, signer_id, signature_meaning) at once."""
    statement = (
        update(FollowUpVisitRow)
        .where(FollowUpVisitRow.id == bindparam("visit"))
        .values(
            state="signed",
            signed_at=bindparam("when"),
            signed_by=bindparam("who"),
            signer_id=bindparam("signer"),
            signature_meaning=bindparam("meaning"),
        )
    )
    tx.connection().execute(
        statement,
        [
            {
                "visit": row["id"],
                "when": row["signed_at"],
                "who": row["signed_by"],
                "signer": row["signer_id"],
                "meaning": row["signature_meaning"],
            }
            for row in rows
        ],
    )


def insert_tuples(tx: UnitOfWork, model: type[Base], columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert rows given as tuples in the order of `columns`, straight through the driver's executemany.

    For millions of rows (the demo clinic's sites): no per-row work in SQLAlchemy. The values must be ones
    the driver takes as they are on both engines (str, int, float, bool, None), not dates or JSON.
    """
    if not rows:
        return
    connection = tx.connection()
    quote = connection.dialect.identifier_preparer.quote
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    table = model.__table__.name  # type: ignore[attr-defined]
    statement = (
        f"INSERT INTO {quote(table)} ({', '.join(quote(column) for column in columns)}) "
        f"VALUES ({', '.join([mark] * len(columns))})"
    )
    connection.exec_driver_sql(statement, list(rows))


@contextmanager
def sqlite_triggers_set_aside(tx: UnitOfWork, names: Sequence[str]) -> Iterator[None]:
    """On SQLite, take these triggers away for a moment inside the transaction, and put them back before it ends.

    SQLite changes its schema within the transaction, so no one else ever sees the database without them: a
    transaction that fails takes them back with the rest of its work. The caller answers for what the
    triggers would have done (checked or marked) for the rows written meanwhile. Nothing happens on other
    engines: there the triggers fire as always.
    """
    connection = tx.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    marks = ", ".join("?" for _name in names)
    saved = connection.exec_driver_sql(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks}) ORDER BY name", tuple(names)
    ).all()
    missing = set(names) - {name for name, _sql in saved}
    if missing:
        raise LookupError(f"no trigger {', '.join(sorted(missing))} in this database")
    for name, _sql in saved:
        connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
    yield
    for _name, sql in saved:
        connection.exec_driver_sql(sql)
