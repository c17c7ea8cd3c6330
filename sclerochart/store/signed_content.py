"""The seal of a signature: a SHA-256 over a signed session's stored rows (header, sites, tracings) as signed.

Signing puts the seal into the signing event of the audit trail, which the hash chain protects; the check
recomputes it from the rows as stored now, so a signed session changed behind the program's back (with the
refusing triggers taken away first) is named even though every audit event is intact.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, Table, select

from sclerochart.store.database import UnitOfWork
from sclerochart.store.models import AuditEventRow, InjectionSiteRow, TreatmentSessionRow, VeinTracingRow

SEAL_KEY = "signed_content"
"""The key of the seal in the signing event's values."""


def _rows(connection: Connection, table: Table, session_column: Any, session_id: str) -> list[dict[str, Any]]:
    result = connection.execute(select(table).where(session_column == session_id).order_by(table.c.id))
    return [dict(row._mapping) for row in result]


def seal(connection: Connection, session_id: str) -> str | None:
    """The seal of the session as its rows are stored now, or None when it is not stored."""
    sessions: Table = TreatmentSessionRow.__table__  # type: ignore[assignment]
    header = connection.execute(select(sessions).where(sessions.c.id == session_id)).first()
    if header is None:
        return None
    content = {
        "session": dict(header._mapping),
        "sites": _rows(connection, InjectionSiteRow.__table__, InjectionSiteRow.session_id, session_id),  # type: ignore[arg-type]
        "tracings": _rows(connection, VeinTracingRow.__table__, VeinTracingRow.session_id, session_id),  # type: ignore[arg-type]
    }
    text = json.dumps(content, sort_keys=True, default=_plain, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def _plain(value: Any) -> str:
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return repr(value)


def sealed_sessions(connection: Connection) -> Iterator[tuple[int, str, str]]:
    """(event id, session id, seal) of every signature that carries a seal, oldest first."""
    events = select(AuditEventRow.id, AuditEventRow.entity_id, AuditEventRow.after).where(
        AuditEventRow.action == "sign", AuditEventRow.entity == "session"
    )
    for event_id, session_id, after in connection.execute(events.order_by(AuditEventRow.id)):
        if isinstance(after, dict) and isinstance(after.get(SEAL_KEY), str):
            yield event_id, session_id, after[SEAL_KEY]


def session_seal(tx: UnitOfWork, session_id: str) -> str | None:
    """The seal of the session as the unit of work sees it (signing seals what it has just written)."""
    return seal(tx.connection(), session_id)
