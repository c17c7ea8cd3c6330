"""Freehand vein tracings drawn on a session's diagram: add and remove, each audited (get_session lists them)."""

from __future__ import annotations

from sclerochart.domain.diagram import DIAGRAM_VERSION
from sclerochart.domain.errors import NotFoundError
from sclerochart.domain.validation import validate_tracing
from sclerochart.domain.values import TracingDraft, VeinTracing
from sclerochart.services import audit, mapping
from sclerochart.services.context import ServiceContext
from sclerochart.services.sites import lock_draft_session, touch
from sclerochart.services.versions import require_version
from sclerochart.store.models import VeinTracingRow
from sclerochart.store.repositories import sites as site_repo


def add_tracing(ctx: ServiceContext, session_id: str, draft: TracingDraft) -> VeinTracing:
    """Store a tracing on a draft session; audited."""
    clean = validate_tracing(draft)
    with ctx.db.write() as tx:
        header = lock_draft_session(tx, session_id)
        row = VeinTracingRow(
            version=1,
            session_id=session_id,
            view=clean.view.value,
            points=[list(point) for point in clean.points],
            diagram_version=DIAGRAM_VERSION,
            colour=clean.colour,
            label=clean.label,
        )
        tx.add(row)
        touch(header, ctx)
        tx.flush()
        created = mapping.tracing(row)
        audit.record(tx, ctx, "create", "tracing", row.id, None, created)
    return created


def remove_tracing(ctx: ServiceContext, tracing_id: int, expected_version: int) -> VeinTracing:
    """Delete a tracing of a draft session, as seen at `expected_version`; the audit event keeps its points."""
    gone = NotFoundError("This vein tracing was removed in another room.", "The chart now shows the stored tracings.")
    with ctx.db.write() as tx:
        session_id = site_repo.session_of_tracing(tx, tracing_id)
        if session_id is None:
            raise gone
        header = lock_draft_session(tx, session_id)
        row = site_repo.tracing_as_stored(tx, tracing_id)  # as stored once the session is ours
        if row is None:
            raise gone
        require_version(
            tx,
            ctx,
            what="A vein tracing",
            entity="tracing",
            entity_id=tracing_id,
            stored=row.version,
            expected=expected_version,
            shows="The chart now shows the stored tracings.",
        )
        removed = mapping.tracing(row)
        tx.delete(row)
        touch(header, ctx)
        audit.record(tx, ctx, "delete", "tracing", tracing_id, removed, None)
    return removed
