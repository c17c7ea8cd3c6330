"""Writing many rows at once (the demo clinic and the benchmarks' data), bypassing the ORM."""

from __future__ import annotations

from collections.abc import Sequence
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
