"""The audit trail: every change writes who did what to which record, with the values before and after."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from enum import Enum
from functools import cache
from typing import Any

from sclerochart.domain.audit_words import DISCLOSURES, in_words
from sclerochart.domain.values import AuditEntry, Practitioner
from sclerochart.services import mapping
from sclerochart.services.context import ServiceContext, SignInNeeded
from sclerochart.store.audit_chain import event_hash
from sclerochart.store.database import UnitOfWork
from sclerochart.store.repositories import audit as audit_repo
from sclerochart.store.repositories import catalogue as catalogue_repo

_AS_IS = frozenset({str, int, float, bool, type(None)})
"""Types JSON holds as they are (exactly these: a subclass, an enum say, is turned into its value below)."""


@cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind))


def jsonable(value: Any) -> Any:
    """A value as JSON can hold it: dataclasses as dicts, dates as ISO text, enums as their value."""
    if type(value) in _AS_IS:
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: jsonable(getattr(value, name)) for name in _field_names(type(value))}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return value


def record(
    tx: UnitOfWork,
    ctx: ServiceContext,
    action: str,
    entity: str,
    entity_id: str | int,
    before: Any = None,
    after: Any = None,
) -> None:
    """Add one audit event to the unit of work in progress (it commits with the change or not at all).

    The event joins the hash chain: its hash covers its content and the hash of the event before it.
    """
    _require_still_active(tx, ctx)
    previous = audit_repo.chain_head(tx)
    at, actor, entity_id = ctx.utc_now(), ctx.acting(), str(entity_id)
    stored_before = jsonable(before) if before is not None else None
    stored_after = jsonable(after) if after is not None else None
    digest = event_hash(
        previous, at, actor, action, entity, entity_id, ctx.origin, ctx.room, stored_before, stored_after
    )
    audit_repo.insert_event(
        tx,
        at=at,
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        origin=ctx.origin,
        room=ctx.room,
        before=stored_before,
        after=stored_after,
        previous_hash=previous,
        hash=digest,
    )


def _require_still_active(tx: UnitOfWork, ctx: ServiceContext) -> None:
    """Refuse a change by someone deactivated since they signed in (in another room, say); follow a new role.

    Every change passes here inside its own unit of work, so nothing of it is stored when this refuses.
    """
    person = ctx.person
    if person is None or tx.info.get(_CHECKED) == person.id:
        return
    row = catalogue_repo.practitioner_columns(tx, person.id)
    _judge(tx, ctx, person, row)


def person_read_along(
    tx: UnitOfWork, ctx: ServiceContext, active: bool | None, role: str | None, name: str | None
) -> None:
    """The signed-in person's account as another statement of this unit of work read it, checked as `record` does.

    `active`, `role`, `name` are None when no account of theirs is stored. Changed role or name: read in full.
    """
    person = ctx.person
    if person is None:
        return
    if active is None or not active or role != person.role or name != person.name:
        _judge(tx, ctx, person, catalogue_repo.practitioner_columns(tx, person.id))
    tx.info[_CHECKED] = person.id


def _judge(tx: UnitOfWork, ctx: ServiceContext, person: Practitioner, row: Any) -> None:
    """Refuse a person no longer active; follow a new role or name."""
    if row is None or not row.active:
        ctx.seat.person = None
        raise SignInNeeded(
            f"{person.name} was deactivated by the clinic's administrator, so nothing was saved.",
            "Someone with an active account signs in to go on.",
        )
    if row.role != person.role or row.name != person.name:
        ctx.seat.person = mapping.practitioner(row)
    tx.info[_CHECKED] = person.id


_CHECKED = "sclerochart_person_checked"
"""The person whose account this unit of work has checked (the one signed in then): once is enough."""


def history(ctx: ServiceContext, entity: str, entity_id: str | int) -> tuple[AuditEntry, ...]:
    """Every audit event of one record, oldest first."""
    with ctx.db.read() as tx:
        rows = audit_repo.audit_events(tx, entity, entity_id)
        return tuple(_entry(row) for row in rows)


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(row.id, row.at, row.actor, row.action, row.entity, row.entity_id, row.before, row.after, row.room)


def session_trail(ctx: ServiceContext, session_id: str) -> tuple[AuditEntry, ...]:
    """Who did what to a session, its sites, tracings and follow-ups, oldest first."""
    with ctx.db.read() as tx:
        return tuple(_entry(row) for row in audit_repo.session_trail(tx, [session_id]))


def patient_trail(ctx: ServiceContext, patient_id: str, session_ids: tuple[str, ...]) -> tuple[AuditEntry, ...]:
    """Who did what to a patient's record, sessions (deleted ones too), follow-up visits and photos; oldest first."""
    with ctx.db.read() as tx:
        own = audit_repo.audit_events(tx, "patient", patient_id)
        deleted = tuple(
            str(row.before["session_id"])
            for row in own
            if row.action == "remove-session" and row.before and "session_id" in row.before
        )
        rows = [
            *own,
            *audit_repo.session_trail(tx, (*session_ids, *deleted)),
            *audit_repo.course_trail(tx, patient_id),
        ]
    return tuple(_entry(row) for row in sorted(rows, key=lambda row: row.id))


def record_disclosure(ctx: ServiceContext, action: str, entity: str, entity_id: str, what: str) -> None:
    """Write that a patient's record (or a session of it) was viewed, printed or exported, and as what.

    Args:
        action: "view", "print" or "export".
        entity: "patient" or "session".
        entity_id: the record's id.
        what: the document or screen in the user's words ("session report, 2 pages, to report.pdf").
    """
    if action not in DISCLOSURES:
        raise ValueError(f"not a disclosure: {action!r}")
    if ctx.db.read_only:
        return  # a database on a read-only disk cannot hold the entry (the window says nothing is written)
    record_disclosures(ctx, action, entity, (entity_id,), what)


def record_disclosures(ctx: ServiceContext, action: str, entity: str, entity_ids: Iterable[str], what: str) -> None:
    """`record_disclosure` for several records at once (a list of patients shown together), in one transaction."""
    if action not in DISCLOSURES:
        raise ValueError(f"not a disclosure: {action!r}")
    if ctx.db.read_only:
        return
    with ctx.db.write() as tx:
        for entity_id in entity_ids:
            record(tx, ctx, action, entity, entity_id, None, {"what": what[:300]})


__all__ = [
    "DISCLOSURES",
    "history",
    "in_words",
    "jsonable",
    "patient_trail",
    "record",
    "record_disclosure",
    "record_disclosures",
]
