"""Queries on the audit trail: a record's events, and the newest ids that the change feed watches."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, cast

from sqlalchemy import Row, ScalarResult, Table, and_, func, insert, or_, select, text

from sclerochart.store.database import UnitOfWork, core
from sclerochart.store.models import AuditEventRow, FollowUpVisitRow, PhotoRow
from sclerochart.store.prepared import Prepared


def latest_audit_event(tx: UnitOfWork, entity: str, entity_id: str | int) -> AuditEventRow | None:
    """The record's latest audit event, or None."""
    return tx.scalars(
        select(AuditEventRow)
        .where(AuditEventRow.entity == entity, AuditEventRow.entity_id == str(entity_id))
        .order_by(AuditEventRow.id.desc())
        .limit(1)
    ).first()


def audit_events(tx: UnitOfWork, entity: str, entity_id: str | int) -> Sequence[AuditEventRow]:
    """Every audit event of one record, oldest first."""
    return tx.scalars(
        select(AuditEventRow)
        .where(AuditEventRow.entity == entity, AuditEventRow.entity_id == str(entity_id))
        .order_by(AuditEventRow.id)
    ).all()


def session_trail(tx: UnitOfWork, session_ids: Sequence[str]) -> Sequence[AuditEventRow]:
    """The events of these sessions and of their sites, tracings, lots and photos (removed ones too), oldest first.

    A part's event names its session inside its values, so this reads the trail's part events (no index).
    """
    parts = ("site", "tracing", "photo", "follow-up")  # follow-ups of before migration 0012 named their session
    return tx.scalars(
        select(AuditEventRow)
        .where(
            or_(
                and_(AuditEventRow.entity.in_(("session", "session lot")), AuditEventRow.entity_id.in_(session_ids)),
                and_(
                    AuditEventRow.entity.in_(parts),
                    or_(
                        AuditEventRow.after["session_id"].as_string().in_(session_ids),
                        AuditEventRow.before["session_id"].as_string().in_(session_ids),
                    ),
                ),
            )
        )
        .order_by(AuditEventRow.id)
    ).all()


def course_trail(tx: UnitOfWork, patient_id: str) -> Sequence[AuditEventRow]:
    """The events of a patient's follow-up visits and of their photos (removed ones too), oldest first.

    Found by the records' ids through the trail's (entity, id) index; only the removals, whose records are
    gone, are looked for by the patient named in their values.
    """
    visits = [str(v) for v in tx.scalars(select(FollowUpVisitRow.id).where(FollowUpVisitRow.patient_id == patient_id))]
    photos = [
        str(p)
        for p in tx.scalars(
            select(PhotoRow.id).where(PhotoRow.patient_id == patient_id, PhotoRow.visit_id.is_not(None))
        )
    ]
    removed = tx.execute(
        select(AuditEventRow.entity, AuditEventRow.entity_id, AuditEventRow.before).where(
            AuditEventRow.entity.in_(("follow-up", "photo")),
            AuditEventRow.action == "delete",
            AuditEventRow.before["patient_id"].as_string() == patient_id,
        )
    ).all()
    for entity, entity_id, before in removed:
        if entity == "follow-up":
            visits.append(entity_id)
        elif isinstance(before, dict) and before.get("visit_id"):  # a session's photo is in its session's trail
            photos.append(entity_id)
    if not visits and not photos:
        return []
    return tx.scalars(
        select(AuditEventRow)
        .where(
            or_(
                and_(AuditEventRow.entity == "follow-up", AuditEventRow.entity_id.in_(visits)),
                and_(AuditEventRow.entity == "photo", AuditEventRow.entity_id.in_(photos)),
            )
        )
        .order_by(AuditEventRow.id)
    ).all()


def newest_audit_id(tx: UnitOfWork) -> int:
    """The highest audit id, or 0 for an empty trail."""
    return int(tx.scalar(select(func.max(AuditEventRow.id))) or 0)


def audit_ids_above(tx: UnitOfWork, floor: int) -> ScalarResult[int]:
    """The audit ids above `floor`."""
    return tx.scalars(select(AuditEventRow.id).where(AuditEventRow.id > floor))


def audit_count_and_newest_above(tx: UnitOfWork, floor: int) -> Row[int, int]:
    """(how many, highest id or None) of the audit ids above `floor`: one count by the primary key."""
    return tx.execute(select(func.count(), func.max(AuditEventRow.id)).where(AuditEventRow.id > floor)).one()


def audit_changes(
    tx: UnitOfWork, ids: Iterable[int], except_origin: str, except_actions: Iterable[str] = ()
) -> Sequence[Row[*tuple[Any, ...]]]:
    """(origin, entity, entity id, before, after) of these events not made by `except_origin`, in id order.

    Events whose action is among `except_actions` (a record viewed or printed, a sign-in) changed nothing.
    """
    return tx.execute(
        select(
            AuditEventRow.origin,
            AuditEventRow.entity,
            AuditEventRow.entity_id,
            AuditEventRow.before,
            AuditEventRow.after,
        )
        .where(
            AuditEventRow.id.in_(ids),
            AuditEventRow.origin != except_origin,
            AuditEventRow.action.not_in(list(except_actions)),
        )
        .order_by(AuditEventRow.id)
    ).all()


AUDIT_CHAIN_LOCK = 0x5C1E_A0D1
"""PostgreSQL advisory lock held while an event joins the chain (SQLite's writers take turns anyway)."""


_EVENTS = cast(Table, AuditEventRow.__table__)
_CHAIN_LOCK = text("SELECT pg_advisory_xact_lock(:key)")
_CHAIN_HEAD = select(_EVENTS.c.hash).order_by(_EVENTS.c.id.desc()).limit(1)


CHAIN_HEAD_SUBQUERY = _CHAIN_HEAD.scalar_subquery()
"""The newest event's hash, as a column of another statement (see `head_read_along`)."""
_HEAD = "sclerochart_audit_head"
"""Where a unit of work keeps the chain's head it knows: the hash of the last event it added, or one read along."""


def chain_head(tx: UnitOfWork) -> str:
    """The newest event's hash, with the chain locked for this unit of work (so events join it one at a time)."""
    known: str | None = tx.info.get(_HEAD)
    if known is not None:
        return known
    connection = core(tx)
    if connection.dialect.name != "sqlite":
        connection.execute(_CHAIN_LOCK, {"key": AUDIT_CHAIN_LOCK})
    return connection.scalar(_CHAIN_HEAD) or ""


def head_read_along(tx: UnitOfWork, head: str | None) -> None:
    """The head read by another statement of this unit of work (`CHAIN_HEAD_SUBQUERY`): `chain_head` gives it.

    On SQLite only, where the unit of work's write lock, taken before it, holds the whole file: no other event
    can join the chain meanwhile. (PostgreSQL's chain is locked on its own, in `chain_head`.)
    """
    if tx.get_bind().dialect.name == "sqlite" and _HEAD not in tx.info:
        tx.info[_HEAD] = head or ""


_EVENT_KEYS = tuple(column.key for column in _EVENTS.columns if column.key != "id")
_INSERT_EVENT = Prepared(insert(_EVENTS), _EVENT_KEYS)


def insert_event(tx: UnitOfWork, **values: Any) -> None:
    """Store one audit event (every column but its id, by name), prepared (`Prepared`): no ORM object, no flush."""
    _INSERT_EVENT.insert(core(tx), values)
    tx.info[_HEAD] = values["hash"]


def events_in_order(tx: UnitOfWork, batch: int = 5000) -> Iterator[AuditEventRow]:
    """Every audit event, oldest first, read in batches."""
    last = 0
    while True:
        rows = tx.scalars(
            select(AuditEventRow).where(AuditEventRow.id > last).order_by(AuditEventRow.id).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].id
        tx.expunge_all()
