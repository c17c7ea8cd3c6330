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
from sclerochart.store.models import (
    AuditEventRow,
    FollowUpVisitRow,
    InjectionSiteRow,
    RegionClearanceRow,
    SessionLotRow,
    TreatmentSessionRow,
    VeinTracingRow,
    VisitComplicationRow,
)

SEAL_KEY = "signed_content"
"""The key of the seal in the signing event's values."""

SEALED_COLUMNS: dict[str, tuple[tuple[str, ...], ...]] = {
    "v1": (
        (
            "id", "patient_id", "practitioner_id", "started_at", "weight_kg", "ceap_right", "ceap_left", "checklist",
            "checklist_override", "consent", "compression_stocking", "compression_continuous_hours",
            "compression_days", "compression_nights_too", "notes", "state", "version", "details_version",
            "signed_at", "signed_by", "signer_id", "signature_meaning", "checklist_reviewed", "weight_reason",
            "voided_at", "voided_by", "void_reason", "created_at", "updated_at",
        ),
        (
            "id", "session_id", "number", "view", "x", "y", "region", "diagram_version", "agent_id", "concentration",
            "form", "foam_liquid_parts", "foam_gas_parts", "gas", "volume_ml", "vessel_type", "vessel_diameter_mm",
            "delivery", "lot_number", "reaction", "notes", "override_reason", "version",
        ),
        ("id", "session_id", "view", "points", "diagram_version", "colour", "label", "version"),
    ),
}  # fmt: skip
SEALED_COLUMNS["v2"] = (
    (*SEALED_COLUMNS["v1"][0], "vcss_right", "vcss_left"),
    SEALED_COLUMNS["v1"][1],
    SEALED_COLUMNS["v1"][2],
    ("id", "session_id", "agent_id", "lot_number", "expires_on", "expiry_reason", "version"),
)
"""The columns each seal version covers (session, sites, tracings; from v2 the lots too). A migration that adds
a column leaves the seals already made as they are: a new seal version names the longer lists, and old seals
keep their own."""

SEAL_VERSION = "v2"


def _rows(connection: Connection, table: Table, names: tuple[str, ...], session_id: str) -> list[dict[str, Any]]:
    columns = [table.c[name] for name in names]
    result = connection.execute(select(*columns).where(table.c.session_id == session_id).order_by(table.c.id))
    return [dict(row._mapping) for row in result]


def seal(connection: Connection, session_id: str, version: str = SEAL_VERSION) -> str | None:
    """The seal ("v1:" and a SHA-256) of the session as its rows are stored now, or None when it is not stored."""
    session_names, site_names, tracing_names, *lot_names = SEALED_COLUMNS[version]
    content: dict[str, Any]
    sessions: Table = TreatmentSessionRow.__table__  # type: ignore[assignment]
    header = connection.execute(
        select(*[sessions.c[name] for name in session_names]).where(sessions.c.id == session_id)
    ).first()
    if header is None:
        return None
    content = {
        "session": dict(header._mapping),
        "sites": _rows(connection, InjectionSiteRow.__table__, site_names, session_id),  # type: ignore[arg-type]
        "tracings": _rows(connection, VeinTracingRow.__table__, tracing_names, session_id),  # type: ignore[arg-type]
    }
    if lot_names:
        content["lots"] = _rows(connection, SessionLotRow.__table__, lot_names[0], session_id)  # type: ignore[arg-type]
    return _digest(version, content)


def _digest(version: str, content: dict[str, Any]) -> str:
    text = json.dumps(content, sort_keys=True, default=_plain, ensure_ascii=True, separators=(",", ":"))
    return f"{version}:{hashlib.sha256(text.encode('ascii')).hexdigest()}"


def seal_version(sealed: str) -> str:
    """The version a stored seal was made with ("v1")."""
    version, _, _ = sealed.partition(":")
    return version if version in SEALED_COLUMNS else SEAL_VERSION


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


VISIT_SEAL_VERSION = "visit-v1"
_VISIT_COLUMNS = (
    (
        "id", "patient_id", "practitioner_id", "examined_on", "notes", "ceap_right", "ceap_left", "vcss_right",
        "vcss_left", "state", "imported_from", "signed_at", "signed_by", "signer_id", "signature_meaning",
        "created_at", "updated_at", "version",
    ),
    ("id", "visit_id", "region", "clearance_percent"),
    ("id", "visit_id", "kind", "side", "region", "severity", "action", "resolved"),
)  # fmt: skip


def visit_seal(connection: Connection, visit_id: str) -> str | None:
    """The seal of a follow-up visit (its row, clearances and complications) as stored now, or None."""
    visit_names, clearance_names, complication_names = _VISIT_COLUMNS
    visits: Table = FollowUpVisitRow.__table__  # type: ignore[assignment]
    header = connection.execute(
        select(*[visits.c[name] for name in visit_names]).where(visits.c.id == visit_id)
    ).first()
    if header is None:
        return None
    content: dict[str, Any] = {"visit": dict(header._mapping)}
    for key, table, names in (
        ("clearances", RegionClearanceRow.__table__, clearance_names),
        ("complications", VisitComplicationRow.__table__, complication_names),
    ):
        columns = [table.c[name] for name in names]
        rows = connection.execute(select(*columns).where(table.c.visit_id == visit_id).order_by(table.c.id))
        content[key] = [dict(row._mapping) for row in rows]
    return _digest(VISIT_SEAL_VERSION, content)


def sealed_visits(connection: Connection) -> Iterator[tuple[int, str, str]]:
    """(event id, visit id, seal) of every signed follow-up visit, oldest first."""
    events = select(AuditEventRow.id, AuditEventRow.entity_id, AuditEventRow.after).where(
        AuditEventRow.action == "sign", AuditEventRow.entity == "follow-up"
    )
    for event_id, visit_id, after in connection.execute(events.order_by(AuditEventRow.id)):
        if isinstance(after, dict) and isinstance(after.get(SEAL_KEY), str):
            yield event_id, visit_id, after[SEAL_KEY]
