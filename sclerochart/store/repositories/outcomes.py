"""The clinic's outcome sums in a few queries (the rules in sclerochart.domain.outcome_figures).

The clearance sums are one aggregate: every site of the period's sessions joined to its region's latest
rating when that rating is on or after the session's day. The complications are few; the sessions they
are attributed to are found here, and their sites counted by the same four columns.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Date, and_, case, cast, func, select

from sclerochart.store.database import UnitOfWork
from sclerochart.store.models import (
    FollowUpVisitRow,
    InjectionSiteRow,
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
    """Sites with a complication attributed to them, per (agent, concentration, form, vessel)."""
    found = tx.execute(
        select(FollowUpVisitRow.patient_id, FollowUpVisitRow.examined_on, VisitComplicationRow.region).join(
            FollowUpVisitRow, FollowUpVisitRow.id == VisitComplicationRow.visit_id
        )
    ).all()
    if not found:
        return {}
    patients = sorted({patient for patient, _day, _region in found})
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
    for each in sessions.values():
        each.sort()
    for chunk in _chunks([sid for each in sessions.values() for _day, sid in each]):
        for session_id, region in tx.execute(
            select(InjectionSiteRow.session_id, InjectionSiteRow.region)
            .where(InjectionSiteRow.session_id.in_(chunk))
            .distinct()
        ):
            treated[session_id].add(region)
    flagged: set[tuple[str, str]] = set()  # (session, region); region "" = every site of the session
    for patient, day, region in found:
        before = [sid for started, sid in sessions.get(patient, []) if started <= day]
        if region:
            before = [sid for sid in before if region in treated[sid]]
        if before:
            flagged.add((before[-1], region))
    counts: dict[Key, int] = defaultdict(int)
    whole = {sid for sid, region in flagged if not region}
    regional = {(sid, region) for sid, region in flagged if region}
    site, session = InjectionSiteRow, TreatmentSessionRow
    columns = (SclerosantRow.name, site.concentration, site.form, site.vessel_type, site.session_id, site.region)
    for chunk in _chunks(sorted({sid for sid, _region in flagged})):
        site_rows = tx.execute(
            select(*columns)
            .select_from(site)
            .join(session, session.id == site.session_id)
            .join(SclerosantRow, SclerosantRow.id == site.agent_id)
            .where(site.session_id.in_(chunk), *_period(start, end))
        )
        for name, concentration, form, vessel, session_id, region in site_rows:
            if session_id in whole or (session_id, region) in regional:
                counts[(name, concentration, form, vessel)] += 1
    return dict(counts)


def _chunks(values: Sequence[str]) -> list[list[str]]:
    return [list(values[i : i + _CHUNK]) for i in range(0, len(values), _CHUNK)]
