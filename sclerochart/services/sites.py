"""Injection sites of a draft session: place, change, move and remove, each naming the version it was made from.

Every change locks its session first, so two rooms charting one session take turns: site numbers never
clash and a version check cannot pass in both rooms. Each returns the session as now stored, with totals,
limits and findings worked out from the current catalogue, settings and same-day sessions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from types import SimpleNamespace

from sclerochart.domain.diagram import DIAGRAM_VERSION, region_at
from sclerochart.domain.dose import Finding, ReasonNeeded
from sclerochart.domain.errors import ConflictError, FieldError, NotFoundError, ValidationError
from sclerochart.domain.validation import validate_site
from sclerochart.domain.values import SessionState, Site, SiteDraft, View
from sclerochart.readmodels import SessionChange, SessionDetail
from sclerochart.services import audit, mapping
from sclerochart.services.context import ServiceContext
from sclerochart.services.session_detail import (
    INTERVAL_SETTING,
    DoseCheck,
    DoseInputs,
    detail_of,
    dose_inputs,
    load_session_row,
    newly_exceeded,
    read_along,
)
from sclerochart.services.versions import require_version
from sclerochart.store.database import UnitOfWork
from sclerochart.store.models import InjectionSiteRow, TreatmentSessionRow
from sclerochart.store.repositories import sessions as session_repo
from sclerochart.store.repositories import sites as site_repo
from sclerochart.store.repositories.sessions import ClickHeader, StoredSession


def lock_draft_session(tx: UnitOfWork, session_id: str) -> TreatmentSessionRow:
    """The session's row, locked for this unit of work; ConflictError once it is signed.

    On PostgreSQL the patient's row is locked first: the daily limit counts the patient's other sessions of
    the day, so two rooms charting one patient must take turns, or both could pass the check and together go
    over the limit. (SQLite's write transactions hold the whole file.) Patient before session, everywhere.
    """
    session_repo.lock_patient_of_session(tx, session_id)
    row = load_session_row(tx, session_id, lock=True)
    _refuse_unless_draft(row)
    return row


def lock_draft_header(
    tx: UnitOfWork, ctx: ServiceContext, session_id: str, agent_id: int, day: dt.date | None = None
) -> ClickHeader:
    """`lock_draft_session` as a plain row (no ORM object: adding a site is a click), with what the click needs.

    Beside the session's columns, the row holds what `read_along` takes (the patient's other sessions of `day`
    among it) and the session's lot number of the agent (`agent_lot`), all read by the same statement.
    """
    session_repo.lock_patient_of_session(tx, session_id)
    person = ctx.person
    person_id = person.id if person else None
    row = session_repo.click_header(tx, session_id, agent_id, INTERVAL_SETTING, person_id, day)
    if row is None:
        raise NotFoundError(
            f"No session with the id {session_id} is stored.", "It may have been removed; pick it from the list."
        )
    _refuse_unless_draft(row)
    return row


def _refuse_unless_draft(row: StoredSession) -> None:
    """ConflictError when the session was voided or signed."""
    if row.voided_at is not None:
        raise ConflictError(
            f"The session of {row.started_at:%d.%m.%Y %H:%M} was voided and can no longer be changed.",
            "Start a new session to chart a treatment.",
        )
    if row.state != SessionState.DRAFT.value:
        by = f" by {row.signed_by}" if row.signed_by else ""
        when = f" at {row.signed_at:%H:%M}" if row.signed_at else ""
        raise ConflictError(
            f"The session of {row.started_at:%d.%m.%Y %H:%M} was signed{by}{when} and can no longer be changed.",
            "A correction is an amendment: Session → Amend signed session.",
        )


def touch(row: TreatmentSessionRow, ctx: ServiceContext) -> None:
    """Mark a session changed: its version goes up, so every screen showing an older one knows it is stale."""
    row.version += 1
    row.updated_at = ctx.clock()


def _region(draft: SiteDraft) -> str:
    region = region_at(draft.view, draft.x, draft.y)
    if region is None:
        raise ValidationError(
            [FieldError("Position", f"is outside the leg on the {draft.view.value} view; click on the leg itself.")]
        )
    return region.code


def _checked(
    inputs: DoseInputs,
    draft: SiteDraft,
    site_id: int | None,
    shown: SessionDetail | None,
    number: int | None = None,
    confirmed: tuple[Finding, ...] | None = None,
) -> tuple[SiteDraft, DoseCheck]:
    """The draft validated against the current catalogue, and the dose check with it stored.

    Raises:
        ReasonNeeded: it would newly exceed a limit and gives no reason, or its reason was given for other
            (smaller) findings than those it would now cause.
    """
    agent = inputs.agents.get(draft.agent_id)
    if agent is None:
        raise ValidationError([FieldError("Sclerosant", "must be one of the catalogue.")])
    clean = validate_site(draft, agent)
    exceeded, after = newly_exceeded(inputs, clean, site_id, shown, number)
    if exceeded and not clean.override_reason:
        raise ReasonNeeded(exceeded)
    if exceeded and confirmed is not None and not {f.message for f in exceeded} <= {f.message for f in confirmed}:
        raise ReasonNeeded(exceeded)  # another room added to the dose while the reason was being asked for
    return clean, after


def _after(inputs: DoseInputs, version: int, sites: Sequence[Site], checked: DoseCheck) -> SessionDetail:
    """The session as stored once `sites` are, at `version`: `checked` is the dose check `_checked` made for them."""
    stored = inputs.sites
    if len(sites) == 1 and (not stored or stored[-1].number < sites[0].number):
        ordered = (*stored, sites[0])  # a new site numbered last: the stored ones stay in order
        checked = replace(checked, tallied=checked.tallied.for_sites(ordered))  # the site checked, as stored
    else:
        by_number = {site.number: site for site in stored}
        for site in sites:
            by_number[site.number] = site
        ordered = tuple(by_number[number] for number in sorted(by_number))
    return detail_of(replace(inputs, header=replace(inputs.header, version=version), sites=ordered), checked)


def add_site(
    ctx: ServiceContext,
    session_id: str,
    draft: SiteDraft,
    *,
    number: int | None = None,
    shown: SessionDetail | None = None,
    confirmed: tuple[Finding, ...] | None = None,
) -> SessionChange:
    """Store one injection site, numbered next (or `number`, when an undo puts a site back); audited.

    `confirmed` are the findings the practitioner gave the draft's override reason for: the site is stored only
    if it would cause no others.

    Raises:
        ReasonNeeded: the site would take the session over a limit and the draft gives no reason.
        ConflictError: the session is signed, or `number` is taken.
        ValidationError: a field is not allowed.
    """
    with ctx.db.write() as tx:
        day = shown.session.started_at.date() if shown is not None and shown.session.id == session_id else None
        row = lock_draft_header(tx, ctx, session_id, draft.agent_id, day)
        audit.person_read_along(tx, ctx, row.person_active, row.person_role, row.person_name)
        inputs = dose_inputs(tx, row, shown, read_along(row, day))
        if number is None:  # the session is locked and its sites are the stored ones: the next number is safe
            number = inputs.sites[-1].number + 1 if inputs.sites else 1  # the sites are in number order
        elif any(site.number == number for site in inputs.sites):
            raise ConflictError(
                f"Site {number} is taken by another site now, so the site cannot be put back under that number.",
                "The chart now shows the stored sites.",
            )
        region = _region(draft)  # a click beside the legs is refused before any limit is asked about
        if not draft.lot_number:  # the session's lot of the agent, when one is set
            draft = replace(draft, lot_number=row.agent_lot or "")
        clean, checked = _checked(inputs, draft, None, shown, number, confirmed)
        # Core statements, no ORM flush: a plain object carries the values (no ORM instrumentation to pay for).
        site_row = SimpleNamespace(session_id=session_id, number=number, version=1)
        mapping.apply_site(site_row, clean, region, DIAGRAM_VERSION)
        site_row.id = site_repo.insert_site(tx, site_row)
        version = session_repo.bump_version(tx, session_id, row.version, ctx.clock())
        created = mapping.site(site_row)
        audit.record(tx, ctx, "create", "site", site_row.id, None, created)
        detail = _after(inputs, version, (created,), checked)
    return SessionChange(detail, (created,))


def _locked_site(
    tx: UnitOfWork, ctx: ServiceContext, site_id: int, expected_version: int
) -> tuple[InjectionSiteRow, TreatmentSessionRow]:
    session_id = site_repo.session_of_site(tx, site_id)
    if session_id is None:
        raise NotFoundError(
            "This injection site was removed in another room, so it cannot be changed.",
            "The chart now shows the stored sites.",
        )
    row = lock_draft_session(tx, session_id)
    site_row = site_repo.site_as_stored(tx, site_id)
    if site_row is None:  # removed while we waited for the lock
        raise NotFoundError(
            "This injection site was removed in another room, so it cannot be changed.",
            "The chart now shows the stored sites.",
        )
    require_version(
        tx,
        ctx,
        what=f"Site {site_row.number}",
        entity="site",
        entity_id=site_id,
        stored=site_row.version,
        expected=expected_version,
        shows="The chart now shows the stored values.",
    )
    return site_row, row


def edit_site(
    ctx: ServiceContext,
    site_id: int,
    draft: SiteDraft,
    expected_version: int,
    *,
    shown: SessionDetail | None = None,
    confirmed: tuple[Finding, ...] | None = None,
) -> SessionChange:
    """Change any field of a site (its region follows its position), made from `expected_version`; audited.

    Raises:
        StaleError: the site was changed since that version (by another room, or an undo of this one).
        ReasonNeeded: the change would take the session over a limit and the draft gives no reason.
    """
    with ctx.db.write() as tx:
        site_row, row = _locked_site(tx, ctx, site_id, expected_version)
        inputs = dose_inputs(tx, row, shown)
        before = mapping.site(site_row)
        if before.draft() == draft:
            return SessionChange(detail_of(inputs), (before,))
        clean, checked = _checked(inputs, draft, site_id, shown, confirmed=confirmed)
        same_place = (before.view, before.x, before.y) == (clean.view, clean.x, clean.y)
        region = before.region if same_place else _region(clean)
        diagram_version = before.diagram_version if same_place else DIAGRAM_VERSION
        mapping.apply_site(site_row, clean, region, diagram_version)
        site_row.version += 1
        touch(row, ctx)
        tx.flush()
        after = mapping.site(site_row)
        audit.record(tx, ctx, "update", "site", site_id, before, after)
        detail = _after(inputs, row.version, (after,), checked)
    return SessionChange(detail, (after,))


def move_site(
    ctx: ServiceContext,
    site_id: int,
    view: View,
    x: float,
    y: float,
    expected_version: int,
    *,
    shown: SessionDetail | None = None,
) -> SessionChange:
    """Move a site to another spot (a drag or an arrow key), made from `expected_version`."""
    with ctx.db.read() as tx:
        site_row = tx.get(InjectionSiteRow, site_id)
        if site_row is None:
            raise NotFoundError(
                "This injection site was removed in another room, so it cannot be moved.",
                "The chart now shows the stored sites.",
            )
        draft = mapping.site(site_row).draft()
    return edit_site(ctx, site_id, replace(draft, view=view, x=x, y=y), expected_version, shown=shown)


def remove_sites(
    ctx: ServiceContext, seen: Sequence[tuple[int, int]], *, shown: SessionDetail | None = None
) -> SessionChange:
    """Delete sites of one session in one transaction, each named with the version it was seen at.

    Either all are removed or, when one was changed or removed elsewhere meanwhile, none. The audit events
    keep every value the sites had.

    Args:
        ctx: the service context.
        seen: (site id, version seen) of each site to remove.
        shown: the session as the screen shows it (spares reading its sites back).
    """
    if not seen:
        raise ValidationError([FieldError("Sites", "choose at least one site to delete.")])
    with ctx.db.write() as tx:
        removed: list[Site] = []
        row: TreatmentSessionRow | None = None
        for site_id, version in seen:
            site_row, row = _locked_site(tx, ctx, site_id, version)
            if removed and site_row.session_id != removed[0].session_id:
                raise ValidationError([FieldError("Sites", "must all belong to one session.")])
            removed.append(mapping.site(site_row))
        assert row is not None
        inputs = dose_inputs(tx, row, shown)
        for site in removed:
            tx.delete(tx.get(InjectionSiteRow, site.id))
            audit.record(tx, ctx, "delete", "site", site.id, site, None)
        touch(row, ctx)
        tx.flush()
        gone = {site.id for site in removed}
        remaining = tuple(site for site in inputs.sites if site.id not in gone)
        detail = detail_of(replace(inputs, header=replace(inputs.header, version=row.version), sites=remaining))
    return SessionChange(detail, tuple(removed))


def remove_site(ctx: ServiceContext, site_id: int, expected_version: int) -> Site:
    """Delete one site seen at `expected_version`; the audit event keeps every value it had."""
    return remove_sites(ctx, ((site_id, expected_version),)).sites[0]
