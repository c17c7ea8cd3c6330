"""Queries on what is charted in a session: injection sites and vein tracings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any, TypeAlias, cast

from sqlalchemy import Result, Row, ScalarResult, Table, bindparam, func, insert, select

from sclerochart.store.database import UnitOfWork, core
from sclerochart.store.models import (
    AmendmentRow,
    InjectionSiteRow,
    PatientRow,
    SclerosantRow,
    TreatmentSessionRow,
    VeinTracingRow,
)
from sclerochart.store.prepared import Prepared

StoredSite: TypeAlias = InjectionSiteRow | Row[*tuple[Any, ...]] | SimpleNamespace
"""A site as stored: its ORM row, a plain row of its columns (no ORM objects to build for 300 sites), or the
plain object a new site's values were stored from (`insert_site`)."""

_SITE_COLUMNS = InjectionSiteRow.__table__.columns


def session_site_rows(tx: UnitOfWork, session_id: str) -> Result[*tuple[Any, ...]]:
    """The session's sites as plain rows, in number order."""
    return tx.execute(
        select(*_SITE_COLUMNS).where(InjectionSiteRow.session_id == session_id).order_by(InjectionSiteRow.number)
    )


_SESSIONS = cast(Table, TreatmentSessionRow.__table__)
_DOSE_COLUMNS = ("session_id", "agent_id", "concentration", "form", "volume_ml", "foam_liquid_parts", "foam_gas_parts")
_AMENDMENTS = cast(Table, AmendmentRow.__table__)
_SAME_DAY = Prepared(
    select(
        *(_SITE_COLUMNS[name] for name in _DOSE_COLUMNS),
        _SESSIONS.c.state,
        select(func.count())
        .where(_AMENDMENTS.c.session_id == _SITE_COLUMNS.session_id)
        .scalar_subquery()
        .label("amendments"),
        func.count().label("site_count"),
    )
    .join(_SESSIONS, _SESSIONS.c.id == _SITE_COLUMNS.session_id)
    .where(
        _SESSIONS.c.patient_id == bindparam("patient_id"),
        _SESSIONS.c.id != bindparam("except_session_id"),
        _SESSIONS.c.voided_at.is_(None),
        _SESSIONS.c.started_at >= bindparam("day_start"),
        _SESSIONS.c.started_at < bindparam("day_end"),
    )
    .group_by(
        _SESSIONS.c.started_at,
        _SESSIONS.c.id,
        _SESSIONS.c.state,
        *(_SITE_COLUMNS[name] for name in _DOSE_COLUMNS),
    )
    .order_by(_SESSIONS.c.started_at, _SESSIONS.c.id, func.min(_SITE_COLUMNS.number))
)
"""Built once and prepared, as each statement a click runs (`Prepared`)."""


def same_day_dose_rows(tx: UnitOfWork, patient_id: str, day: dt.date, except_session_id: str) -> Sequence[Any]:
    """The doses given in the patient's other sessions started on `day` (none voided), alike sites counted once.

    Rows of (session id, agent id, concentration, form, volume, foam liquid and gas parts, the session's `state`,
    `amendments`: how many amendments the session has, and `site_count`: how many of its sites had that very
    dose). Session by session in the order they started; within one, in the order of each dose's first site. A
    session's 60 sites are rarely more than a dozen doses, so a click reads a dozen rows, not 60.
    """
    day_start = dt.datetime.combine(day, dt.time())
    parameters = {
        "patient_id": patient_id,
        "except_session_id": except_session_id,
        "day_start": day_start,
        "day_end": day_start + dt.timedelta(days=1),
    }
    return _SAME_DAY.all(core(tx), parameters)


_STORED_SITE_KEYS = tuple(column.key for column in _SITE_COLUMNS if column.key != "id")
_INSERT_SITE = Prepared(insert(cast(Table, InjectionSiteRow.__table__)), _STORED_SITE_KEYS)


def insert_site(tx: UnitOfWork, site: SimpleNamespace) -> int:
    """Store a new site given as a plain object with a value for every column but the id (no ORM flush); its id."""
    values = {key: getattr(site, key) for key in _STORED_SITE_KEYS}
    return _INSERT_SITE.insert(core(tx), values)


def earlier_site_rows(tx: UnitOfWork, patient_id: str, before: dt.datetime) -> Sequence[Row[*tuple[Any, ...]]]:
    """Plain rows of the sites of the patient's sessions started before `before`, oldest session first."""
    return tx.execute(
        select(*_SITE_COLUMNS)
        .join(TreatmentSessionRow, TreatmentSessionRow.id == InjectionSiteRow.session_id)
        .where(
            TreatmentSessionRow.patient_id == patient_id,
            TreatmentSessionRow.started_at < before,
            TreatmentSessionRow.voided_at.is_(None),
        )
        .order_by(TreatmentSessionRow.started_at, InjectionSiteRow.number)
    ).all()


def storable_id(record_id: int) -> bool:
    """Whether a number can be a stored record's id at all (a 64-bit integer; no larger one is stored)."""
    return -(2**63) <= record_id < 2**63


def session_of_site(tx: UnitOfWork, site_id: int) -> str | None:
    """The id of the session the site belongs to, or None when it is not stored."""
    if not storable_id(site_id):
        return None
    return tx.scalar(select(InjectionSiteRow.session_id).where(InjectionSiteRow.id == site_id))


def site_as_stored(tx: UnitOfWork, site_id: int) -> InjectionSiteRow | None:
    """The site's row read afresh (what another room committed meanwhile), or None when it was removed."""
    if not storable_id(site_id):
        return None
    return tx.get(InjectionSiteRow, site_id, populate_existing=True)


def session_tracings(tx: UnitOfWork, session_id: str) -> ScalarResult[VeinTracingRow]:
    """The session's vein tracings in the order they were drawn."""
    return tx.scalars(select(VeinTracingRow).where(VeinTracingRow.session_id == session_id).order_by(VeinTracingRow.id))


def session_of_tracing(tx: UnitOfWork, tracing_id: int) -> str | None:
    """The id of the session the tracing belongs to, or None when it is not stored."""
    if not storable_id(tracing_id):
        return None
    return tx.scalar(select(VeinTracingRow.session_id).where(VeinTracingRow.id == tracing_id))


def tracing_as_stored(tx: UnitOfWork, tracing_id: int) -> VeinTracingRow | None:
    """The tracing's row read afresh, or None when it was removed."""
    if not storable_id(tracing_id):
        return None
    return tx.get(VeinTracingRow, tracing_id, populate_existing=True)


def sites_with_lot(tx: UnitOfWork, lot: str) -> Sequence[Row[*tuple[Any, ...]]]:
    """(site, session, patient, agent name) of every site whose lot is `lot` (case and outer spaces aside).

    Oldest session first; read through the index on the lot in lower case.
    """
    return tx.execute(
        select(InjectionSiteRow, TreatmentSessionRow, PatientRow, SclerosantRow.name)
        .join(TreatmentSessionRow, TreatmentSessionRow.id == InjectionSiteRow.session_id)
        .join(PatientRow, PatientRow.id == TreatmentSessionRow.patient_id)
        .join(SclerosantRow, SclerosantRow.id == InjectionSiteRow.agent_id)
        .where(func.lower(InjectionSiteRow.lot_number) == lot.strip().lower())
        .order_by(TreatmentSessionRow.started_at, TreatmentSessionRow.id, InjectionSiteRow.number)
    ).all()


def session_site_count(tx: UnitOfWork, session_id: str) -> int:
    """How many sites the session holds."""
    return int(
        tx.scalar(select(func.count()).select_from(InjectionSiteRow).where(InjectionSiteRow.session_id == session_id))
        or 0
    )
