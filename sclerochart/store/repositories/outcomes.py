"""The clinic's outcome sums (the rules in sclerochart.domain.outcome_figures).

Two ways: from the sums kept per session (migration 0013), worked out again for the patients marked as
changed; or straight from every site (`clearance_sums`, `complication_counts`: one aggregate joining each
site to its region's latest rating, and the few complications attributed here), for a database opened
read-only, where nothing can be kept. Both give the same figures (a test holds them to it).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Date, Table, and_, bindparam, case, cast, delete, func, insert, select

from sclerochart.domain.outcome_figures import attributed, site_flagged
from sclerochart.store.database import UnitOfWork
from sclerochart.store.models import (
    FollowUpVisitRow,
    InjectionSiteRow,
    OutcomeCellRow,
    OutcomeDirtyRow,
    RegionClearanceRow,
    SclerosantRow,
    TreatmentSessionRow,
    VisitComplicationRow,
)

Key = tuple[str, float, str, str]
"""(agent name, concentration, form, vessel type)."""

_CHUNK = 500


def _day_of(tx: UnitOfWork, column: Any) -> Any:
    """A timestamp column's day, comparable with a DATE column on either engine."""
    if tx.get_bind().dialect.name == "sqlite":
        return func.date(column)
    return cast(column, Date)


def _period(start: dt.date | None, end: dt.date | None) -> list[Any]:
    session = TreatmentSessionRow
    conditions: list[Any] = [session.voided_at.is_(None)]
    if start is not None:
        conditions.append(session.started_at >= dt.datetime.combine(start, dt.time()))
    if end is not None:
        conditions.append(session.started_at < dt.datetime.combine(end + dt.timedelta(days=1), dt.time()))
    return conditions


def clearance_sums(tx: UnitOfWork, start: dt.date | None, end: dt.date | None) -> Sequence[Any]:
    """(agent, concentration, form, vessel, sites, followed up, rated, cleared sum, cleared ≥ 75 %) per combination."""
    ranked = (
        select(
            FollowUpVisitRow.patient_id.label("patient_id"),
            RegionClearanceRow.region.label("region"),
            RegionClearanceRow.clearance_percent.label("percent"),
            FollowUpVisitRow.examined_on.label("examined_on"),
            func.row_number()
            .over(
                partition_by=(FollowUpVisitRow.patient_id, RegionClearanceRow.region),
                order_by=(FollowUpVisitRow.examined_on.desc(), FollowUpVisitRow.created_at.desc()),
            )
            .label("rank"),
        )
        .join(FollowUpVisitRow, FollowUpVisitRow.id == RegionClearanceRow.visit_id)
        .subquery()
    )
    latest = select(ranked).where(ranked.c.rank == 1).subquery()
    last_visit = (
        select(FollowUpVisitRow.patient_id.label("patient_id"), func.max(FollowUpVisitRow.examined_on).label("day"))
        .group_by(FollowUpVisitRow.patient_id)
        .subquery()
    )
    site, session = InjectionSiteRow, TreatmentSessionRow
    rated = latest.c.percent
    day = _day_of(tx, session.started_at)
    statement = (
        select(
            SclerosantRow.name,
            site.concentration,
            site.form,
            site.vessel_type,
            func.count(),
            func.count(last_visit.c.day),
            func.count(rated),
            func.coalesce(func.sum(rated), 0),
            func.coalesce(func.sum(case((rated >= 75, 1), else_=0)), 0),
        )
        .select_from(site)
        .join(session, session.id == site.session_id)
        .join(SclerosantRow, SclerosantRow.id == site.agent_id)
        .outerjoin(
            latest,
            and_(
                latest.c.patient_id == session.patient_id,
                latest.c.region == site.region,
                latest.c.examined_on >= day,
            ),
        )
        .outerjoin(last_visit, and_(last_visit.c.patient_id == session.patient_id, last_visit.c.day >= day))
        .where(*_period(start, end))
        .group_by(SclerosantRow.name, site.concentration, site.form, site.vessel_type)
    )
    return tx.execute(statement).all()


def complication_counts(tx: UnitOfWork, start: dt.date | None, end: dt.date | None) -> dict[Key, int]:
    """Sites with a complication attributed to them, per (agent, concentration, form, vessel).

    The complications are few: their patients' sessions and treated regions are read, and the rules of
    `attributed` (the same the kept sums use) say which sites they count for.
    """
    found = tx.execute(
        select(
            FollowUpVisitRow.patient_id,
            FollowUpVisitRow.examined_on,
            VisitComplicationRow.region,
            VisitComplicationRow.side,
        ).join(FollowUpVisitRow, FollowUpVisitRow.id == VisitComplicationRow.visit_id)
    ).all()
    if not found:
        return {}
    patients = sorted({patient for patient, *_rest in found})
    sessions: dict[str, list[tuple[dt.date, str]]] = defaultdict(list)
    treated: dict[str, set[str]] = defaultdict(set)
    for chunk in _chunks(patients):
        rows = tx.execute(
            select(TreatmentSessionRow.patient_id, TreatmentSessionRow.started_at, TreatmentSessionRow.id).where(
                TreatmentSessionRow.patient_id.in_(chunk), TreatmentSessionRow.voided_at.is_(None)
            )
        )
        for patient, started, session_id in rows:
            sessions[patient].append((started.date(), session_id))
    for chunk in _chunks([sid for each in sessions.values() for _day, sid in each]):
        for session_id, region in tx.execute(
            select(InjectionSiteRow.session_id, InjectionSiteRow.region)
            .where(InjectionSiteRow.session_id.in_(chunk))
            .distinct()
        ):
            treated[session_id].add(region)
    by_patient: dict[str, list[tuple[dt.date, str, str]]] = defaultdict(list)
    for patient, day, region, side in found:
        by_patient[patient].append((day, region or "", side or ""))
    flagged: set[tuple[str, str]] = set()
    for patient, complications in by_patient.items():
        flagged |= attributed(sorted(sessions.get(patient, [])), treated, complications)
    counts: dict[Key, int] = defaultdict(int)
    site, session = InjectionSiteRow, TreatmentSessionRow
    columns = (SclerosantRow.name, site.concentration, site.form, site.vessel_type, site.session_id, site.region)
    for chunk in _chunks(sorted({sid for sid, _where in flagged})):
        site_rows = tx.execute(
            select(*columns)
            .select_from(site)
            .join(session, session.id == site.session_id)
            .join(SclerosantRow, SclerosantRow.id == site.agent_id)
            .where(site.session_id.in_(chunk), *_period(start, end))
        )
        for name, concentration, form, vessel, session_id, region in site_rows:
            if site_flagged(flagged, session_id, region):
                counts[(name, concentration, form, vessel)] += 1
    return dict(counts)


def _chunks(values: Sequence[str]) -> list[list[str]]:
    return [list(values[i : i + _CHUNK]) for i in range(0, len(values), _CHUNK)]


# The kept sums (migration 0013) ---------------------------------------------------------------------------


def dirty_patients(tx: UnitOfWork, limit: int) -> list[tuple[str, int]]:
    """Up to `limit` patients whose sums must be worked out again, with their mark's stamp."""
    # Two rooms asking for the figures at once (PostgreSQL) each take marks the other has not locked.
    rows = tx.execute(
        select(OutcomeDirtyRow.patient_id, OutcomeDirtyRow.stamp).limit(limit).with_for_update(skip_locked=True)
    )
    return [(patient, stamp) for patient, stamp in rows]


def dirty_count(tx: UnitOfWork) -> int:
    """How many patients are marked."""
    return int(tx.scalar(select(func.count()).select_from(OutcomeDirtyRow)) or 0)


def site_fact_rows(tx: UnitOfWork, patient_ids: Sequence[str]) -> Sequence[Any]:
    """The patients' sites in sessions not voided.

    Each row: patient, session, start, region, agent, concentration, form, vessel.
    """
    site, session = InjectionSiteRow, TreatmentSessionRow
    return tx.execute(
        select(
            session.patient_id,
            session.id,
            session.started_at,
            site.region,
            site.agent_id,
            site.concentration,
            site.form,
            site.vessel_type,
        )
        .join(session, session.id == site.session_id)
        .where(session.patient_id.in_(patient_ids), session.voided_at.is_(None))
    ).all()


def visit_fact_rows(tx: UnitOfWork, patient_ids: Sequence[str]) -> tuple[Sequence[Any], Sequence[Any], Sequence[Any]]:
    """The patients' visits (id, patient, day, created), ratings (visit, region, %) and complications' regions."""
    visits = tx.execute(
        select(
            FollowUpVisitRow.id, FollowUpVisitRow.patient_id, FollowUpVisitRow.examined_on, FollowUpVisitRow.created_at
        ).where(FollowUpVisitRow.patient_id.in_(patient_ids))
    ).all()
    ids = [row[0] for row in visits]
    if not ids:
        return visits, (), ()
    ratings = tx.execute(
        select(RegionClearanceRow.visit_id, RegionClearanceRow.region, RegionClearanceRow.clearance_percent).where(
            RegionClearanceRow.visit_id.in_(ids)
        )
    ).all()
    complications = tx.execute(
        select(VisitComplicationRow.visit_id, VisitComplicationRow.region, VisitComplicationRow.side).where(
            VisitComplicationRow.visit_id.in_(ids)
        )
    ).all()
    return visits, ratings, complications


def replace_cells(tx: UnitOfWork, patient_ids: Sequence[str], cells: Sequence[dict[str, Any]]) -> None:
    """Put these cells in place of the patients' kept sums."""
    tx.execute(delete(OutcomeCellRow).where(OutcomeCellRow.patient_id.in_(patient_ids)))
    sessions = sorted({cell["session_id"] for cell in cells})
    for chunk in _chunks(sessions):  # a session now of another patient takes its sums along
        tx.execute(delete(OutcomeCellRow).where(OutcomeCellRow.session_id.in_(chunk)))
    if cells:
        cells_table: Table = OutcomeCellRow.__table__  # type: ignore[assignment]
        tx.connection().execute(insert(cells_table), list(cells))


def clear_marks(tx: UnitOfWork, marks: Sequence[tuple[str, int]]) -> None:
    """Take off the marks worked out (a patient marked again meanwhile has a new stamp and stays marked)."""
    if marks:
        table: Table = OutcomeDirtyRow.__table__  # type: ignore[assignment]
        tx.connection().execute(
            delete(table).where(table.c.patient_id == bindparam("patient"), table.c.stamp == bindparam("stamp")),
            [{"patient": patient, "stamp": stamp} for patient, stamp in marks],
        )


def kept_sums(tx: UnitOfWork, start: dt.date | None, end: dt.date | None) -> Sequence[Any]:
    """The kept sums of the sessions started in the period, per combination.

    Each row: agent, concentration, form, vessel, sites, followed up, rated, cleared sum, cleared ≥ 75 %,
    with a complication.
    """
    cell = OutcomeCellRow
    conditions: list[Any] = []
    if start is not None:
        conditions.append(cell.started_on >= start)
    if end is not None:
        conditions.append(cell.started_on <= end)
    grouped = (
        select(
            cell.agent_id,
            cell.concentration,
            cell.form,
            cell.vessel_type,
            func.sum(cell.sites).label("sites"),
            func.sum(cell.followed_up).label("followed_up"),
            func.sum(cell.rated).label("rated"),
            func.sum(cell.cleared_sum).label("cleared_sum"),
            func.sum(cell.cleared_75).label("cleared_75"),
            func.sum(cell.with_complication).label("with_complication"),
        )
        .where(*conditions)
        .group_by(cell.agent_id, cell.concentration, cell.form, cell.vessel_type)
        .subquery()
    )
    return tx.execute(
        select(SclerosantRow.name, *list(grouped.c)[1:]).join(SclerosantRow, SclerosantRow.id == grouped.c.agent_id)
    ).all()
