"""What other rooms changed: read from the audit trail, which every change writes in its own transaction.

The audit events' ids only grow, so "anything new?" is one look at the highest id: cheap enough to ask every
second while idle, on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from sclerochart.readmodels import Changes
from sclerochart.services.context import ServiceContext
from sclerochart.store.models import AuditEventRow

_SESSION_PARTS = frozenset({"site", "tracing", "follow-up"})


def latest_change(ctx: ServiceContext) -> int:
    """The id of the newest audit event (0 for none): the mark to ask `changes_since` from."""
    with ctx.db.read() as tx:
        return int(tx.scalar(select(func.max(AuditEventRow.id))) or 0)


def _session_of(values: Any) -> str | None:
    if isinstance(values, dict):
        session_id = values.get("session_id")
        return str(session_id) if session_id else None
    return None


def changes_since(ctx: ServiceContext, mark: int, *, limit: int = 5000) -> tuple[int, Changes]:
    """What other copies of the program changed after `mark`, and the new mark.

    Changes made by this copy (the same origin) are left out: its screens already show them. When more than
    `limit` events arrived at once (a large import), everything is reported changed.
    """
    with ctx.db.read() as tx:
        newest = int(tx.scalar(select(func.max(AuditEventRow.id))) or 0)
        if newest <= mark:
            return mark, Changes()
        rows = tx.execute(
            select(
                AuditEventRow.entity,
                AuditEventRow.entity_id,
                AuditEventRow.before,
                AuditEventRow.after,
            )
            .where(AuditEventRow.id > mark, AuditEventRow.id <= newest, AuditEventRow.origin != ctx.origin)
            .order_by(AuditEventRow.id)
            .limit(limit + 1)
        ).all()
    if len(rows) > limit:
        return newest, Changes(presets=True, catalogue=True, settings=True, practitioners=True, elsewhere=True)
    sessions: set[str] = set()
    patients: set[str] = set()
    kinds: set[str] = set()
    for entity, entity_id, before, after in rows:
        kinds.add(entity)
        if entity == "session":
            sessions.add(entity_id)
            patient = (after or before or {}).get("patient_id") if isinstance(after or before, dict) else None
            if patient:
                patients.add(str(patient))
        elif entity in _SESSION_PARTS:
            session_id = _session_of(after) or _session_of(before)
            if session_id:
                sessions.add(session_id)
        elif entity == "patient":
            patients.add(entity_id)
    return newest, Changes(
        sessions=frozenset(sessions),
        patients=frozenset(patients),
        presets="preset" in kinds,
        catalogue="sclerosant" in kinds,
        settings="setting" in kinds,
        practitioners="practitioner" in kinds,
        elsewhere=True,
    )
