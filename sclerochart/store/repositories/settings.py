"""Queries on the clinic settings stored in the database, and the version counters of records kept in many rows."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Result, Table, bindparam, select

from sclerochart.store.database import UnitOfWork, core
from sclerochart.store.models import ClinicSettingRow, RevisionRow

_SETTINGS = cast(Table, ClinicSettingRow.__table__)
_SETTINGS_BUT = select(_SETTINGS.c.key, _SETTINGS.c.value).where(_SETTINGS.c.key != bindparam("except_key"))


def setting_rows(tx: UnitOfWork, *, except_key: str) -> Result[str, Any]:
    """(key, value) of the stored settings but the one under `except_key` (the logo, which is large)."""
    return core(tx).execute(_SETTINGS_BUT, {"except_key": except_key})


def revision(tx: UnitOfWork, name: str, *, lock: bool = False) -> RevisionRow:
    """The version counter of a record kept in several rows (made at version 1 when missing)."""
    row = tx.get(RevisionRow, name, with_for_update=lock, populate_existing=lock)
    if row is None:
        row = RevisionRow(name=name, version=1)
        tx.add(row)
        tx.flush()
    return row
