"""Every change names the version it was made from: the check, and who changed a record meanwhile."""

from __future__ import annotations

from sclerochart.domain.clock import local_of
from sclerochart.domain.errors import StaleError
from sclerochart.services.context import ServiceContext
from sclerochart.store.database import UnitOfWork
from sclerochart.store.repositories import audit as audit_repo


def who_changed(tx: UnitOfWork, ctx: ServiceContext, entity: str, entity_id: str | int) -> str:
    """'by NAME on COMPUTER at HH:MM' from the record's latest audit event, in the user's words."""
    event = audit_repo.latest_audit_event(tx, entity, entity_id)
    if event is None:
        return "elsewhere"
    where = "in this program" if event.origin == ctx.origin else f"on {event.room or 'another computer'}"
    return f"by {event.actor or 'someone'} {where} at {local_of(event.at):%H:%M}"


def last_change(ctx: ServiceContext, entity: str, entity_id: str | int) -> str:
    """Who last changed a record, where and when ('by NAME on COMPUTER at HH:MM'), for a message."""
    with ctx.db.read() as tx:
        return who_changed(tx, ctx, entity, entity_id)


def require_version(
    tx: UnitOfWork,
    ctx: ServiceContext,
    *,
    what: str,
    entity: str,
    entity_id: str | int,
    stored: int,
    expected: int,
    shows: str = "The screen now shows the stored values.",
) -> None:
    """Refuse a change made from version `expected` of a record now stored at version `stored`.

    Args:
        tx: the unit of work the change runs in.
        ctx: the service context (to tell this program's own changes from another room's).
        what: the record as the user knows it ("Site 4", "The session of 23.11.2026").
        entity: the audit trail's name of the record's kind.
        entity_id: the record's id in the audit trail.
        stored: the version now stored.
        expected: the version the change was made from.
        shows: what the user sees next.
    """
    if stored == expected:
        return
    raise StaleError(
        f"{what} was changed {who_changed(tx, ctx, entity, entity_id)}, after your screen showed it. "
        "Your change was not saved.",
        " ".join(part for part in (shows, "Make your change again if it is still needed.") if part),
    )
