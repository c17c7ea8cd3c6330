"""Queries on the clinic settings stored in the database, and the version counters of records kept in many rows."""

from __future__ import annotations

from sqlalchemy import ScalarResult, select

from sclerochart.store.database import UnitOfWork
from sclerochart.store.models import ClinicSettingRow, RevisionRow


def setting_rows(tx: UnitOfWork, *, except_key: str) -> ScalarResult[ClinicSettingRow]:
    """The stored settings' rows but the one under `except_key` (the logo, which is large)."""
    return tx.scalars(select(ClinicSettingRow).where(ClinicSettingRow.key != except_key))


def revision(tx: UnitOfWork, name: str, *, lock: bool = False) -> RevisionRow:
    """The version counter of a record kept in several rows (made at version 1 when missing)."""
    row = tx.get(RevisionRow, name, with_for_update=lock, populate_existing=lock)
    if row is None:
        row = RevisionRow(name=name, version=1)
        tx.add(row)
        tx.flush()
    return row
