"""Follow-up visits: what was found at a later visit about an earlier session (signed sessions too)."""

from __future__ import annotations

import datetime as dt

from sclerochart.domain.errors import FieldError, ValidationError
from sclerochart.domain.validation import clean_text, validate_clearance
from sclerochart.domain.values import Complication, FollowUp
from sclerochart.services import audit, mapping
from sclerochart.services.context import ServiceContext
from sclerochart.services.session_detail import load_session_row
from sclerochart.store.models import FollowUpRow
from sclerochart.store.repositories import sites as site_repo


def add_follow_up(
    ctx: ServiceContext,
    session_id: str,
    examined_on: dt.date,
    clearance_percent: int | None,
    complications: tuple[Complication, ...] = (),
    region: str = "",
    notes: str = "",
) -> FollowUp:
    """Record findings at a later visit about a session (allowed on signed sessions too); audited."""
    errors = validate_clearance(clearance_percent)
    if examined_on > ctx.today():
        errors.append(FieldError("Examined on", "is in the future; enter the day of the visit."))
    clean_notes = clean_text(notes)
    if len(clean_notes) > 10_000:
        errors.append(FieldError("Notes", "must be at most 10000 characters."))
    with ctx.db.write() as tx:
        row = load_session_row(tx, session_id)
        if examined_on < row.started_at.date():
            errors.append(FieldError("Examined on", "is before the session it follows up."))
        if errors:
            raise ValidationError(errors)
        follow = FollowUpRow(
            session_id=session_id,
            examined_on=examined_on,
            region=region,
            clearance_percent=clearance_percent,
            complications=[c.value for c in complications],
            notes=clean_notes,
        )
        tx.add(follow)
        tx.flush()
        created = mapping.follow_up(follow)
        audit.record(tx, ctx, "create", "follow-up", follow.id, None, created)
    return created


def list_follow_ups(ctx: ServiceContext, session_id: str) -> tuple[FollowUp, ...]:
    """Follow-ups of a session, oldest first."""
    with ctx.db.read() as tx:
        return tuple(mapping.follow_up(row) for row in site_repo.session_follow_ups(tx, session_id))
