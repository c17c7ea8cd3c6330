"""Queries on the clinic's reference data: the sclerosant catalogue, the presets and the practitioners."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeAlias, cast

from sqlalchemy import Result, Row, ScalarResult, Table, bindparam, select

from sclerochart.store.database import UnitOfWork, core
from sclerochart.store.models import CatalogueStampRow, PractitionerRow, PresetRow, SclerosantRow


def sclerosant_rows(tx: UnitOfWork) -> ScalarResult[SclerosantRow]:
    """Every catalogue entry's row, inactive ones too (unordered)."""
    return tx.scalars(select(SclerosantRow))


StoredSclerosant: TypeAlias = SclerosantRow | Row[*tuple[Any, ...]]
"""A catalogue entry as stored: its ORM row, or a plain row of its columns."""

_SCLEROSANTS = cast(Table, SclerosantRow.__table__)
_STAMP = cast(Table, CatalogueStampRow.__table__)
CATALOGUE_STAMP_SUBQUERY = select(_STAMP.c.stamp).where(_STAMP.c.id == 1).scalar_subquery()
"""The catalogue's stamp (migration 0014), for a statement that reads it along with what it reads."""
_ALL_SCLEROSANTS = select(*_SCLEROSANTS.columns, CATALOGUE_STAMP_SUBQUERY.label("catalogue_stamp")).order_by(
    _SCLEROSANTS.c.id
)
_PRACTITIONERS = cast(Table, PractitionerRow.__table__)
_PRACTITIONER_NAME = select(_PRACTITIONERS.c.name).where(_PRACTITIONERS.c.id == bindparam("practitioner_id"))
_PRACTITIONER = select(*_PRACTITIONERS.columns).where(_PRACTITIONERS.c.id == bindparam("practitioner_id"))

StoredPractitioner: TypeAlias = PractitionerRow | Row[*tuple[Any, ...]]
"""A practitioner as stored: their ORM row, or a plain row of the columns."""


def sclerosant_columns(tx: UnitOfWork) -> Result[*tuple[Any, ...]]:
    """Every catalogue entry as a plain row of its columns, inactive ones too (no ORM objects: a click reads it).

    Each row ends with `catalogue_stamp`: the stamp of the catalogue the rows are, read by the same statement
    (None when the database holds no stamp).
    """
    return core(tx).execute(_ALL_SCLEROSANTS)


def practitioner_name(tx: UnitOfWork, practitioner_id: int) -> str | None:
    """The practitioner's name, or None when no such practitioner is stored."""
    return core(tx).scalar(_PRACTITIONER_NAME, {"practitioner_id": practitioner_id})


def practitioner_columns(tx: UnitOfWork, practitioner_id: int) -> Row[*tuple[Any, ...]] | None:
    """The practitioner's columns as a plain row (every change checks who makes it), or None."""
    return core(tx).execute(_PRACTITIONER, {"practitioner_id": practitioner_id}).first()


def catalogue_rows(tx: UnitOfWork, *, include_inactive: bool = False) -> ScalarResult[SclerosantRow]:
    """The catalogue's rows in display order; without inactive entries unless `include_inactive`."""
    query = select(SclerosantRow).order_by(SclerosantRow.sort_order, SclerosantRow.id)
    if not include_inactive:
        query = query.where(SclerosantRow.active.is_(True))
    return tx.scalars(query)


def locked_sclerosant(tx: UnitOfWork, agent_id: int) -> SclerosantRow | None:
    """The catalogue entry's row, held until the unit of work ends, or None."""
    return tx.get(SclerosantRow, agent_id, with_for_update=True)


def preset_rows(tx: UnitOfWork) -> Sequence[PresetRow]:
    """Every preset's row (unordered)."""
    return tx.scalars(select(PresetRow)).all()


def preset_on_key(tx: UnitOfWork, key: int, except_preset_id: int) -> PresetRow | None:
    """The preset other than `except_preset_id` bound to the key, or None."""
    return tx.scalars(select(PresetRow).where(PresetRow.key == key, PresetRow.id != except_preset_id)).first()


def locked_preset(tx: UnitOfWork, preset_id: int) -> PresetRow | None:
    """The preset's row, held until the unit of work ends, or None."""
    return tx.get(PresetRow, preset_id, with_for_update=True)


def practitioner_rows(tx: UnitOfWork, *, include_inactive: bool = False) -> ScalarResult[PractitionerRow]:
    """The practitioners' rows by name; without inactive ones unless `include_inactive`."""
    query = select(PractitionerRow).order_by(PractitionerRow.name)
    if not include_inactive:
        query = query.where(PractitionerRow.active.is_(True))
    return tx.scalars(query)
