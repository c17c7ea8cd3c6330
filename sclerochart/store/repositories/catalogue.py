"""Queries on the clinic's reference data: the sclerosant catalogue, the presets and the practitioners."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeAlias, cast

from sqlalchemy import (
    ColumnElement,
    Connection,
    Result,
    Row,
    ScalarResult,
    ScalarSelect,
    Table,
    bindparam,
    select,
)

from sclerochart.store.database import UnitOfWork, core
from sclerochart.store.models import CatalogueStampRow, PractitionerRow, PresetRow, SclerosantRow
from sclerochart.store.repositories import triggers


def sclerosant_rows(tx: UnitOfWork) -> ScalarResult[SclerosantRow]:
    """Every catalogue entry's row, inactive ones too (unordered)."""
    return tx.scalars(select(SclerosantRow))


StoredSclerosant: TypeAlias = SclerosantRow | Row[*tuple[Any, ...]]
"""A catalogue entry as stored: its ORM row, or a plain row of its columns."""

_SCLEROSANTS = cast(Table, SclerosantRow.__table__)
_STAMP = cast(Table, CatalogueStampRow.__table__)
_STORED_STAMP = select(_STAMP.c.stamp).where(_STAMP.c.id == 1).scalar_subquery()
_ALL_SCLEROSANTS = select(*_SCLEROSANTS.columns, _STORED_STAMP.label("catalogue_stamp")).order_by(_SCLEROSANTS.c.id)

STAMP_TRIGGERS = {
    "sqlite": ("sclerosants_stamp_insert", "sclerosants_stamp_update", "sclerosants_stamp_delete"),
    "postgresql": ("sclerosants_catalogue_stamp",),
}
"""The triggers that renew the catalogue's stamp (migration 0014), by engine."""
STAMP_ARMED = {
    engine: triggers.armed(engine, tuple(("sclerosants", name) for name in names))
    for engine, names in STAMP_TRIGGERS.items()
}
"""Whether every trigger that renews the catalogue's stamp is in place, as SQL, by engine."""


def catalogue_stamp_subquery(engine: str, armed: ColumnElement[bool] | None = None) -> ScalarSelect[Any]:
    """The catalogue's stamp, for a statement on `engine` that reads it along with what it reads.

    NULL when its triggers are missing or switched off (dropped, a table rebuilt, disabled by hand): the stamp
    then no longer follows every change. `sclerosant_columns` reads the stamp of the rows it reads. `armed` is
    the test of the triggers, when not `STAMP_ARMED`'s.
    """
    return (
        select(_STAMP.c.stamp)
        .where(_STAMP.c.id == 1, STAMP_ARMED[engine] if armed is None else armed)
        .scalar_subquery()
    )


def stamp_armed(connection: Connection) -> bool:
    """Whether the catalogue's stamp and every trigger that renews it are there and switched on."""
    engine = connection.dialect.name
    return connection.execute(select(catalogue_stamp_subquery(engine))).scalar() is not None


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
    """The catalogue entry's row, held until the unit of work ends, or None.

    Every change to the catalogue also renews its one stamp row (a trigger): a change of several entries at once
    should lock the stamp's row first, so that two such changes cannot wait on each other on PostgreSQL.
    """
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
