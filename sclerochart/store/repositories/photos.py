"""Queries on photos: their descriptions and thumbnails for lists, the picture itself only when asked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import undefer

from sclerochart.store.database import UnitOfWork
from sclerochart.store.models import FollowUpVisitRow, PhotoRow, TreatmentSessionRow

_LISTED = (
    PhotoRow.id,
    PhotoRow.patient_id,
    PhotoRow.session_id,
    PhotoRow.visit_id,
    PhotoRow.view,
    PhotoRow.region,
    PhotoRow.taken_at,
    PhotoRow.added_at,
    PhotoRow.added_by,
    PhotoRow.original_name,
    PhotoRow.width,
    PhotoRow.height,
    PhotoRow.thumbnail,
    PhotoRow.version,
    TreatmentSessionRow.started_at,
    TreatmentSessionRow.state,
    TreatmentSessionRow.voided_at,
    FollowUpVisitRow.examined_on,
    FollowUpVisitRow.state,
)
"""A listed photo's columns, then its record's day and state (session or visit)."""


def listed_rows(tx: UnitOfWork, *conditions: Any) -> Sequence[Any]:
    """Photos (without the pictures) matching the conditions, with their record's day and state."""
    statement = (
        select(*_LISTED)
        .outerjoin(TreatmentSessionRow, TreatmentSessionRow.id == PhotoRow.session_id)
        .outerjoin(FollowUpVisitRow, FollowUpVisitRow.id == PhotoRow.visit_id)
        .where(*conditions)
        .order_by(PhotoRow.added_at, PhotoRow.id)
    )
    return tx.execute(statement).all()


def photo_row(tx: UnitOfWork, photo_id: str, *, with_picture: bool = False, lock: bool = False) -> PhotoRow | None:
    """The photo's row (with the picture loaded when asked), or None."""
    statement = select(PhotoRow).where(PhotoRow.id == photo_id)
    if with_picture:
        statement = statement.options(undefer(PhotoRow.data))
    if lock:
        statement = statement.with_for_update()
    return tx.scalars(statement).first()


def pictures(tx: UnitOfWork, photo_ids: Sequence[str]) -> dict[str, bytes]:
    """The pictures of these photos, by id."""
    if not photo_ids:
        return {}
    rows = tx.execute(select(PhotoRow.id, PhotoRow.data).where(PhotoRow.id.in_(photo_ids))).all()
    return {photo_id: data for photo_id, data in rows}


def photos_of_visit(tx: UnitOfWork, visit_id: str) -> Sequence[PhotoRow]:
    """A visit's photos (without their pictures)."""
    return tx.scalars(select(PhotoRow).where(PhotoRow.visit_id == visit_id)).all()


def record_day(row: Any) -> dt.date:
    """The day of the session or visit a listed photo belongs to."""
    started, examined = row[14], row[17]
    day: dt.date = started.date() if started is not None else examined
    return day


def record_frozen(row: Any) -> bool:
    """The listed photo's record is signed (or the session voided)."""
    session_state, voided_at, visit_state = row[15], row[16], row[18]
    return session_state == "signed" or voided_at is not None or visit_state == "signed"
