"""A session's lot per agent: set once, carried to the agent's sites (each still editable), audited.

Setting a lot gives it to every site of that agent in the session that holds no lot or the lot set before
(a site whose lot was changed by hand keeps it), and to every site of that agent placed afterwards.
"""

from __future__ import annotations

import datetime as dt

from sclerochart.domain.errors import ValidationError
from sclerochart.domain.lots import SessionLot, validate_session_lot
from sclerochart.services import audit, mapping
from sclerochart.services.context import ServiceContext
from sclerochart.services.session_detail import load_session_row
from sclerochart.services.sites import lock_draft_session, touch
from sclerochart.services.versions import require_version
from sclerochart.store.database import UnitOfWork
from sclerochart.store.models import SessionLotRow
from sclerochart.store.repositories import lots as lot_repo


def lots_in(tx: UnitOfWork, session_id: str) -> tuple[SessionLot, ...]:
    """A session's lots as the unit of work sees them, by agent."""
    return tuple(mapping.session_lot(row) for row in lot_repo.lot_rows(tx, session_id))


def lot_for(tx: UnitOfWork, session_id: str, agent_id: int) -> str:
    """The lot set for an agent in a session ("" for none): what a new site of that agent receives."""
    return lot_repo.lot_number_for(tx, session_id, agent_id)


def session_lots(ctx: ServiceContext, session_id: str) -> tuple[SessionLot, ...]:
    """The session's lots, by agent."""
    with ctx.db.read() as tx:
        load_session_row(tx, session_id)
        return lots_in(tx, session_id)


def set_session_lot(
    ctx: ServiceContext,
    session_id: str,
    agent_id: int,
    lot: str,
    expires_on: dt.date | None,
    expected_version: int,
    reason: str = "",
) -> tuple[SessionLot, int]:
    """Set an agent's lot and expiry for a draft session, made from the session at `expected_version`.

    Returns:
        The lot as stored, and how many sites received it.

    Raises:
        ValidationError: the lot is empty or too long, the expiry implausible, or past without a reason.
        StaleError: the session changed since that version (nothing is changed).
        ConflictError: the session is signed or voided.
    """
    with ctx.db.write() as tx:
        row = lock_draft_session(tx, session_id)
        clean, why, errors = validate_session_lot(lot, expires_on, reason, row.started_at.date())
        if errors:
            raise ValidationError(errors)
        require_version(
            tx,
            ctx,
            what=f"The session of {row.started_at:%d.%m.%Y %H:%M}",
            entity="session",
            entity_id=row.id,
            stored=row.version,
            expected=expected_version,
        )
        lot_row = lot_repo.lot_row(tx, session_id, agent_id)
        before = mapping.session_lot(lot_row) if lot_row is not None else None
        previous = lot_row.lot_number if lot_row is not None else ""
        if lot_row is None:
            lot_row = SessionLotRow(session_id=session_id, agent_id=agent_id, version=1, lot_number=clean)
            tx.add(lot_row)
        else:
            lot_row.version += 1
        lot_row.lot_number, lot_row.expires_on, lot_row.expiry_reason = clean, expires_on, why
        carried = 0
        for site in lot_repo.agent_site_rows(tx, session_id, agent_id):
            if site.lot_number in ("", previous) and site.lot_number != clean:
                site_before = mapping.site(site)
                site.lot_number = clean
                site.version += 1
                carried += 1
                tx.flush()
                audit.record(tx, ctx, "update", "site", site.id, site_before, mapping.site(site))
        touch(row, ctx)
        tx.flush()
        stored = mapping.session_lot(lot_row)
        audit.record(tx, ctx, "update" if before else "create", "session lot", row.id, before, stored)
    return stored, carried


def clear_session_lot(ctx: ServiceContext, session_id: str, agent_id: int, expected_version: int) -> None:
    """Take an agent's lot off a draft session (its sites keep the lot they hold); audited."""
    with ctx.db.write() as tx:
        row = lock_draft_session(tx, session_id)
        require_version(
            tx,
            ctx,
            what=f"The session of {row.started_at:%d.%m.%Y %H:%M}",
            entity="session",
            entity_id=row.id,
            stored=row.version,
            expected=expected_version,
        )
        lot_row = lot_repo.lot_row(tx, session_id, agent_id)
        if lot_row is None:
            return
        before = mapping.session_lot(lot_row)
        tx.delete(lot_row)
        touch(row, ctx)
        tx.flush()
        audit.record(tx, ctx, "delete", "session lot", row.id, before, None)
