"""The audit trail: every change writes who did what to which record, with the values before and after."""

from __future__ import annotations

import dataclasses
import datetime as dt
from enum import Enum
from typing import Any

from sclerochart.domain.values import AuditEntry
from sclerochart.services.context import ServiceContext
from sclerochart.store.database import UnitOfWork
from sclerochart.store.models import AuditEventRow
from sclerochart.store.repositories import audit as audit_repo


def jsonable(value: Any) -> Any:
    """A value as JSON can hold it: dataclasses as dicts, dates as ISO text, enums as their value."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
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
    """Add one audit event to the unit of work in progress (it commits with the change or not at all)."""
    tx.add(
        AuditEventRow(
            at=ctx.clock(),
            actor=ctx.actor,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            origin=ctx.origin,
            room=ctx.room,
            before=jsonable(before) if before is not None else None,
            after=jsonable(after) if after is not None else None,
        )
    )


def history(ctx: ServiceContext, entity: str, entity_id: str | int) -> tuple[AuditEntry, ...]:
    """Every audit event of one record, oldest first."""
    with ctx.db.read() as tx:
        rows = audit_repo.audit_events(tx, entity, entity_id)
        return tuple(
            AuditEntry(row.id, row.at, row.actor, row.action, row.entity, row.entity_id, row.before, row.after)
            for row in rows
        )
