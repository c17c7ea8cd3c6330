"""Queries on follow-up visits (with their clearances and complications) and on what a patient had treated."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, func, select

from sclerochart.store.database import UnitOfWork
from sclerochart.store.models import (
    FollowUpVisitRow,
    InjectionSiteRow,
    PhotoRow,
    RegionClearanceRow,
    TreatmentSessionRow,
    VisitComplicationRow,
)


def visit_row(tx: UnitOfWork, visit_id: str, *, lock: bool = False) -> FollowUpVisitRow | None:
    """The visit's row (locked for the unit of work when asked), or None."""
    statement = select(FollowUpVisitRow).where(FollowUpVisitRow.id == visit_id)
    if lock:
        statement = statement.with_for_update()
    return tx.scalars(statement).first()


def patient_visit_rows(tx: UnitOfWork, patient_id: str) -> Sequence[FollowUpVisitRow]:
    """The patient's visits, oldest first."""
    return tx.scalars(
        select(FollowUpVisitRow)
        .where(FollowUpVisitRow.patient_id == patient_id)
        .order_by(FollowUpVisitRow.examined_on, FollowUpVisitRow.created_at, FollowUpVisitRow.id)
    ).all()


def clearances_of(tx: UnitOfWork, visit_ids: Iterable[str]) -> dict[str, list[RegionClearanceRow]]:
    """Each visit's clearances, in the order they were entered."""
    found: dict[str, list[RegionClearanceRow]] = defaultdict(list)
    ids = list(visit_ids)
    if ids:
        rows = tx.scalars(
            select(RegionClearanceRow).where(RegionClearanceRow.visit_id.in_(ids)).order_by(RegionClearanceRow.id)
        )
        for row in rows:
            found[row.visit_id].append(row)
    return found


def complications_of(tx: UnitOfWork, visit_ids: Iterable[str]) -> dict[str, list[VisitComplicationRow]]:
    """Each visit's complications, in the order they were entered."""
    found: dict[str, list[VisitComplicationRow]] = defaultdict(list)
    ids = list(visit_ids)
    if ids:
        rows = tx.scalars(
            select(VisitComplicationRow).where(VisitComplicationRow.visit_id.in_(ids)).order_by(VisitComplicationRow.id)
        )
        for row in rows:
            found[row.visit_id].append(row)
    return found


def photo_counts(tx: UnitOfWork, visit_ids: Iterable[str]) -> dict[str, int]:
    """How many photos each visit has."""
    ids = list(visit_ids)
    if not ids:
        return {}
    rows = tx.execute(
        select(PhotoRow.visit_id, func.count()).where(PhotoRow.visit_id.in_(ids)).group_by(PhotoRow.visit_id)
    )
    return {visit_id: count for visit_id, count in rows if visit_id is not None}


def remove_parts(tx: UnitOfWork, visit_id: str) -> None:
    """Remove a draft visit's clearances and complications (before they are written again)."""
    tx.execute(delete(RegionClearanceRow).where(RegionClearanceRow.visit_id == visit_id))
    tx.execute(delete(VisitComplicationRow).where(VisitComplicationRow.visit_id == visit_id))


def treated_site_rows(tx: UnitOfWork, patient_id: str, up_to: dt.date | None = None) -> Sequence[Any]:
    """(region, session id, session start, site number) of the patient's sites in sessions not voided.

    With `up_to`, only sessions started on or before that day.
    """
    statement = (
        select(InjectionSiteRow.region, TreatmentSessionRow.id, TreatmentSessionRow.started_at, InjectionSiteRow.number)
        .join(TreatmentSessionRow, TreatmentSessionRow.id == InjectionSiteRow.session_id)
        .where(TreatmentSessionRow.patient_id == patient_id, TreatmentSessionRow.voided_at.is_(None))
        .order_by(TreatmentSessionRow.started_at, InjectionSiteRow.number)
    )
    if up_to is not None:
        statement = statement.where(
            TreatmentSessionRow.started_at < dt.datetime.combine(up_to, dt.time()) + dt.timedelta(days=1)
        )
    return tx.execute(statement).all()


def session_assessment_rows(tx: UnitOfWork, patient_id: str) -> Sequence[Any]:
    """(start, CEAP right, VCSS right, CEAP left, VCSS left) of the patient's sessions not voided, oldest first."""
    return tx.execute(
        select(
            TreatmentSessionRow.started_at,
            TreatmentSessionRow.ceap_right,
            TreatmentSessionRow.vcss_right,
            TreatmentSessionRow.ceap_left,
            TreatmentSessionRow.vcss_left,
        )
        .where(TreatmentSessionRow.patient_id == patient_id, TreatmentSessionRow.voided_at.is_(None))
        .order_by(TreatmentSessionRow.started_at)
    ).all()


def first_session_start(tx: UnitOfWork, patient_id: str) -> dt.datetime | None:
    """When the patient's first session (not voided) started, or None."""
    return tx.scalar(
        select(func.min(TreatmentSessionRow.started_at)).where(
            TreatmentSessionRow.patient_id == patient_id, TreatmentSessionRow.voided_at.is_(None)
        )
    )
