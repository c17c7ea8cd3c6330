"""Writing many rows at once (the demo clinic and the benchmarks' data), bypassing the ORM."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert

from sclerochart.store.database import UnitOfWork
from sclerochart.store.models import Base


def insert_rows(tx: UnitOfWork, model: type[Base], rows: Sequence[dict[str, Any]]) -> None:
    """Insert plain rows (column name to value) into the model's table in one executemany."""
    tx.connection().execute(insert(model), rows)
