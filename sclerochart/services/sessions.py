"""Treatment sessions and their injection sites: start, edit, sign, and the totals and findings of one."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, fields, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sclerochart.domain.checklist import absolute_contraindications
from sclerochart.domain.diagram import DIAGRAM_VERSION, region_at
from sclerochart.domain.dose import Finding, check_limits, session_totals, site_mg
from sclerochart.domain.errors import ConflictError, FieldError, NotFoundError, ValidationError
from sclerochart.domain.schedule import interval_finding
from sclerochart.domain.validation import clean_text, validate_clearance, validate_session, validate_site
from sclerochart.domain.values import (
    Complication,
    FollowUp,
    Form,
    Sclerosant,
    SessionDraft,
    SessionState,
    SessionSummary,
    Severity,
    Site,
    SiteDraft,
    TreatmentSession,
    VeinTracing,
    View,
)
from sclerochart.readmodels import ClinicSessionLine, SessionDetail
from sclerochart.services import audit, mapping
from sclerochart.services.catalogue import sclerosants_by_id
from sclerochart.services.clinic import load_settings
from sclerochart.services.context import ServiceContext
from sclerochart.store.models import (
    FollowUpRow,
    InjectionSiteRow,
    PatientRow,
    PractitionerRow,
    SclerosantRow,
    TreatmentSessionRow,
    VeinTracingRow,
)


def load_session_row(session: Session, session_id: str) -> TreatmentSessionRow:
    """The stored session, or NotFoundError."""
    row = session.get(TreatmentSessionRow, session_id)
    if row is None:
        raise NotFoundError(
            f"No session with the id {session_id} is stored.", "Pick the session from the patient's list."
        )
    return row


def load_draft_session_row(session: Session, session_id: str) -> TreatmentSessionRow:
    """The stored session when it is still a draft; ConflictError once it is signed."""
    row = load_session_row(session, session_id)
    if row.state != SessionState.DRAFT.value:
        raise ConflictError(
            f"The session of {row.started_at:%Y-%m-%d %H:%M} is signed and can no longer be changed.",
            "Record a correction as a note in a new session.",
        )
    return row


def _practitioner_name(session: Session, practitioner_id: int | None) -> str:
    if practitioner_id is None:
        return ""
    row = session.get(PractitionerRow, practitioner_id)
    return row.name if row is not None else ""


def _session_value(session: Session, row: TreatmentSessionRow) -> TreatmentSession:
    return mapping.treatment_session(row, _practitioner_name(session, row.practitioner_id))


def touch(row: TreatmentSessionRow, ctx: ServiceContext) -> None:
    """Mark a session changed: its version counter goes up (other rooms then see their copy is stale)."""
    row.version += 1
    row.updated_at = ctx.clock()


def _apply_session(row: TreatmentSessionRow, draft: SessionDraft) -> None:
    row.practitioner_id = draft.practitioner_id
    row.started_at = draft.started_at
    row.weight_kg = draft.weight_kg
    row.ceap_right = draft.ceap_right
    row.ceap_left = draft.ceap_left
    row.checklist = dict(draft.checklist)
    row.checklist_override = draft.checklist_override
    row.consent = draft.consent
    row.compression_stocking = draft.compression.stocking
    row.compression_continuous_hours = draft.compression.continuous_hours
    row.compression_days = draft.compression.days
    row.compression_nights_too = draft.compression.nights_too
    row.notes = draft.notes


def _check_practitioner(session: Session, practitioner_id: int | None) -> None:
    if practitioner_id is not None and session.get(PractitionerRow, practitioner_id) is None:
        raise ValidationError([FieldError("Practitioner", "must be one of the clinic's practitioners.")])


def last_weight(ctx: ServiceContext, patient_id: str) -> float | None:
    """The weight recorded at the patient's latest session that has one (to prefill the next)."""
    with ctx.db.read() as session:
        return session.scalars(
            select(TreatmentSessionRow.weight_kg)
            .where(TreatmentSessionRow.patient_id == patient_id, TreatmentSessionRow.weight_kg.is_not(None))
            .order_by(TreatmentSessionRow.started_at.desc())
            .limit(1)
        ).first()


def new_session_draft(ctx: ServiceContext, patient_id: str, practitioner_id: int | None = None) -> SessionDraft:
    """A session starting now, prefilled from the patient's record and the clinic settings.

    The weight comes from the last session, the checklist ticks from the patient's history flags, and the
    compression prescription from the clinic settings.
    """
    with ctx.db.read() as session:
        patient = session.get(PatientRow, patient_id)
        history = tuple(patient.history or ()) if patient is not None else ()
    return SessionDraft(
        practitioner_id=practitioner_id,
        started_at=ctx.clock(),
        weight_kg=last_weight(ctx, patient_id),
        checklist={key: True for key in history},
        compression=load_settings(ctx).compression(),
    )


def start_session(ctx: ServiceContext, patient_id: str, draft: SessionDraft | None = None) -> TreatmentSession:
    """Open a new draft session for a patient; audited."""
    draft = draft or new_session_draft(ctx, patient_id)
    with ctx.db.write() as session:
        patient = session.get(PatientRow, patient_id)
        if patient is None:
            raise NotFoundError(f"No patient with the id {patient_id} is stored.")
        if patient.archived:
            raise ConflictError(
                f"{patient.family_name}, {patient.given_name} is archived.", "Restore the patient before treating."
            )
        clean = validate_session(draft, ctx.clock(), patient.date_of_birth)
        _check_practitioner(session, clean.practitioner_id)
        now = ctx.clock()
        row = TreatmentSessionRow(
            id=str(uuid.uuid4()),
            patient_id=patient_id,
            state=SessionState.DRAFT.value,
            version=1,
            signed_by="",
            created_at=now,
            updated_at=now,
        )
        _apply_session(row, clean)
        session.add(row)
        session.flush()
        created = _session_value(session, row)
        audit.record(session, ctx, "create", "session", row.id, None, created)
    return created


def update_session(
    ctx: ServiceContext, session_id: str, draft: SessionDraft, expected_version: int | None = None
) -> TreatmentSession:
    """Save changed session details; refuses when someone else changed the session since `expected_version`."""
    with ctx.db.write() as session:
        row = load_draft_session_row(session, session_id)
        if expected_version is not None and row.version != expected_version:
            raise ConflictError(
                "This session was changed elsewhere (another room) since you opened it.",
                "Reopen the session to see the latest values, then make your change again.",
            )
        patient = session.get(PatientRow, row.patient_id)
        uses_foam = session.scalar(
            select(func.count())
            .select_from(InjectionSiteRow)
            .where(InjectionSiteRow.session_id == session_id, InjectionSiteRow.form == Form.FOAM.value)
        )
        clean = validate_session(
            draft, ctx.clock(), patient.date_of_birth if patient else None, uses_foam=bool(uses_foam)
        )
        _check_practitioner(session, clean.practitioner_id)
        before = _session_value(session, row)
        _apply_session(row, clean)
        touch(row, ctx)
        after = _session_value(session, row)
        audit.record(session, ctx, "update", "session", row.id, before, after)
    return after


def sign_session(ctx: ServiceContext, session_id: str, signed_by: str) -> TreatmentSession:
    """Sign a session: it becomes read-only; audited."""
    name = clean_text(signed_by)
    if not name:
        raise ValidationError([FieldError("Signed by", "is required: the name of the practitioner signing.")])
    with ctx.db.write() as session:
        row = load_draft_session_row(session, session_id)
        before = _session_value(session, row)
        row.state = SessionState.SIGNED.value
        row.signed_at = ctx.clock()
        row.signed_by = name[:100]
        touch(row, ctx)
        after = _session_value(session, row)
        audit.record(session, ctx, "sign", "session", row.id, before, after)
    return after


def _agent(session: Session, agent_id: int) -> Sclerosant:
    row = session.get(SclerosantRow, agent_id)
    if row is None:
        raise ValidationError([FieldError("Sclerosant", "must be one of the catalogue.")])
    return mapping.sclerosant(row)


def _region(draft: SiteDraft) -> str:
    region = region_at(draft.view, draft.x, draft.y)
    if region is None:
        raise ValidationError(
            [FieldError("Position", f"is outside the leg on the {draft.view.value} view; click on the leg itself.")]
        )
    return region.code


def add_site(ctx: ServiceContext, session_id: str, draft: SiteDraft, number: int | None = None) -> Site:
    """Store one injection site (numbered next, or `number` when an undo puts a site back); audited."""
    return _store_site(ctx, session_id, draft, number)[0]


def add_site_to_shown(
    ctx: ServiceContext, shown: SessionDetail, draft: SiteDraft, number: int | None = None
) -> tuple[Site, SessionDetail]:
    """Store one site in the session on screen and return it with the session as it now is.

    When nobody else changed the session since `shown` was read (its version counter moved by exactly this
    change), the new detail is `shown` plus the site, with totals, limits and findings worked out again by the
    same rules as `get_session`; reading every site back would cost more than the rest of a click together.
    Otherwise the session is read again.
    """
    site, version_before, version_after = _store_site(ctx, shown.session.id, draft, number)
    if version_before != shown.session.version:
        return site, get_session(ctx, shown.session.id)
    sites = tuple(sorted((*shown.sites, site), key=lambda s: s.number))
    return site, _detail(
        _DoseInputs(
            replace(shown.session, version=version_after),
            sites,
            shown.agents,
            shown.earlier_mg,
            shown.previous_started_at,
            shown.interval_weeks,
            shown.tracings,
        )
    )


def _store_site(ctx: ServiceContext, session_id: str, draft: SiteDraft, number: int | None) -> tuple[Site, int, int]:
    """The stored site, and the session's version before and after."""
    with ctx.db.write() as session:
        row = load_draft_session_row(session, session_id)
        clean = validate_site(draft, _agent(session, draft.agent_id))
        region = _region(clean)
        if number is None:
            number = (
                session.scalar(
                    select(func.max(InjectionSiteRow.number)).where(InjectionSiteRow.session_id == session_id)
                )
                or 0
            ) + 1
        site_row = InjectionSiteRow(session_id=session_id, number=number)
        mapping.apply_site(site_row, clean, region, DIAGRAM_VERSION)
        session.add(site_row)
        version_before = row.version
        touch(row, ctx)
        session.flush()
        created = mapping.site(site_row)
        audit.record(session, ctx, "create", "site", site_row.id, None, created)
        version_after = row.version
    return created, version_before, version_after


def _load_site(session: Session, site_id: int) -> tuple[InjectionSiteRow, TreatmentSessionRow]:
    site_row = session.get(InjectionSiteRow, site_id)
    if site_row is None:
        raise NotFoundError(f"Injection site {site_id} no longer exists.", "It may have been removed in another room.")
    return site_row, load_draft_session_row(session, site_row.session_id)


def edit_site(ctx: ServiceContext, site_id: int, draft: SiteDraft) -> Site:
    """Change any field of a site (its region follows its position); audited with before and after."""
    with ctx.db.write() as session:
        site_row, row = _load_site(session, site_id)
        clean = validate_site(draft, _agent(session, draft.agent_id))
        before = mapping.site(site_row)
        if before.draft() == clean:
            return before
        same_place = (before.view, before.x, before.y) == (clean.view, clean.x, clean.y)
        region = before.region if same_place else _region(clean)
        version = before.diagram_version if same_place else DIAGRAM_VERSION
        mapping.apply_site(site_row, clean, region, version)
        touch(row, ctx)
        after = mapping.site(site_row)
        audit.record(session, ctx, "update", "site", site_id, before, after)
    return after


def move_site(ctx: ServiceContext, site_id: int, view: View, x: float, y: float) -> Site:
    """Move a site to another spot (a drag on the diagram)."""
    with ctx.db.read() as session:
        site_row = session.get(InjectionSiteRow, site_id)
        if site_row is None:
            raise NotFoundError(f"Injection site {site_id} no longer exists.")
        draft = mapping.site(site_row).draft()
    return edit_site(ctx, site_id, replace(draft, view=view, x=x, y=y))


def remove_site(ctx: ServiceContext, site_id: int) -> Site:
    """Delete a site; the audit event keeps every value it had."""
    with ctx.db.write() as session:
        site_row, row = _load_site(session, site_id)
        before = mapping.site(site_row)
        session.delete(site_row)
        touch(row, ctx)
        audit.record(session, ctx, "delete", "site", site_id, before, None)
    return before


def list_sessions(ctx: ServiceContext, patient_id: str) -> tuple[SessionSummary, ...]:
    """A patient's sessions, newest first, with their number of sites and total volume."""
    # Counted over this patient's sessions only: grouping every site of the clinic took 2 s at 100,000 patients.
    counts = (
        select(
            InjectionSiteRow.session_id,
            func.count(InjectionSiteRow.id).label("sites"),
            func.coalesce(func.sum(InjectionSiteRow.volume_ml), 0.0).label("ml"),
        )
        .join(TreatmentSessionRow, TreatmentSessionRow.id == InjectionSiteRow.session_id)
        .where(TreatmentSessionRow.patient_id == patient_id)
        .group_by(InjectionSiteRow.session_id)
        .subquery()
    )
    statement = (
        select(
            TreatmentSessionRow.id,
            TreatmentSessionRow.started_at,
            func.coalesce(PractitionerRow.name, ""),
            func.coalesce(counts.c.sites, 0),
            func.coalesce(counts.c.ml, 0.0),
            TreatmentSessionRow.state,
        )
        .outerjoin(PractitionerRow, PractitionerRow.id == TreatmentSessionRow.practitioner_id)
        .outerjoin(counts, counts.c.session_id == TreatmentSessionRow.id)
        .where(TreatmentSessionRow.patient_id == patient_id)
        .order_by(TreatmentSessionRow.started_at.desc())
    )
    with ctx.db.read() as session:
        if session.get(PatientRow, patient_id) is None:
            raise NotFoundError(f"No patient with the id {patient_id} is stored.")
        return tuple(
            SessionSummary(sid, started, name, int(sites), round(float(ml), 6), SessionState(state))
            for sid, started, name, sites, ml, state in session.execute(statement)
        )


def recent_sessions(ctx: ServiceContext, limit: int = 50) -> tuple[ClinicSessionLine, ...]:
    """The clinic's latest sessions, newest first, with their patients."""
    with ctx.db.read() as session:
        rows = session.execute(
            select(TreatmentSessionRow, PatientRow.chart_number, PatientRow.family_name, PatientRow.given_name)
            .join(PatientRow, PatientRow.id == TreatmentSessionRow.patient_id)
            .order_by(TreatmentSessionRow.started_at.desc())
            .limit(limit)
        ).all()
        ids = [row[0].id for row in rows]
        counts = {
            sid: (int(count), float(ml))
            for sid, count, ml in session.execute(
                select(
                    InjectionSiteRow.session_id,
                    func.count(InjectionSiteRow.id),
                    func.coalesce(func.sum(InjectionSiteRow.volume_ml), 0.0),
                )
                .where(InjectionSiteRow.session_id.in_(ids))
                .group_by(InjectionSiteRow.session_id)
            )
        }
        lines = []
        for header, chart, family, given in rows:
            count, ml = counts.get(header.id, (0, 0.0))
            lines.append(
                ClinicSessionLine(
                    chart,
                    f"{family}, {given}" if given else family,
                    SessionSummary(
                        header.id,
                        header.started_at,
                        _practitioner_name(session, header.practitioner_id),
                        count,
                        round(ml, 6),
                        SessionState(header.state),
                    ),
                )
            )
        return tuple(lines)


def find_session(ctx: ServiceContext, reference: str) -> str:
    """The id of a session named by its full id or the first 8 or more characters of it."""
    text = reference.strip().lower()
    with ctx.db.read() as session:
        if session.get(TreatmentSessionRow, text) is not None:
            return text
        if len(text) >= 8:
            ids = session.scalars(
                select(TreatmentSessionRow.id).where(TreatmentSessionRow.id.startswith(text, autoescape=True)).limit(2)
            ).all()
            if len(ids) == 1:
                return ids[0]
    raise NotFoundError(
        f"No single session has the id {reference!r}.", "Use 'sclerochart sessions PATIENT' to list the ids."
    )


@dataclass(frozen=True)
class _DoseInputs:
    header: TreatmentSession
    sites: tuple[Site, ...]
    agents: dict[int, Sclerosant]
    earlier_mg: dict[int, float]
    previous: dt.datetime | None
    interval_weeks: int
    tracings: tuple[VeinTracing, ...]


def _dose_inputs(ctx: ServiceContext, session_id: str) -> _DoseInputs:
    agents = sclerosants_by_id(ctx)
    interval_weeks = load_settings(ctx).interval_weeks
    with ctx.db.read() as session:
        row = load_session_row(session, session_id)
        header = _session_value(session, row)
        site_columns = InjectionSiteRow.__table__.columns  # plain rows: no ORM objects to build for 300 sites
        sites = tuple(
            mapping.site(site_row)
            for site_row in session.execute(
                select(*site_columns).where(InjectionSiteRow.session_id == session_id).order_by(InjectionSiteRow.number)
            )
        )
        previous = session.scalar(
            select(func.max(TreatmentSessionRow.started_at)).where(
                TreatmentSessionRow.patient_id == row.patient_id, TreatmentSessionRow.started_at < row.started_at
            )
        )
        day_start = dt.datetime.combine(row.started_at.date(), dt.time())
        same_day = session.execute(
            select(*site_columns)
            .join(TreatmentSessionRow, TreatmentSessionRow.id == InjectionSiteRow.session_id)
            .where(
                TreatmentSessionRow.patient_id == row.patient_id,
                TreatmentSessionRow.id != session_id,
                TreatmentSessionRow.started_at >= day_start,
                TreatmentSessionRow.started_at < day_start + dt.timedelta(days=1),
            )
        ).all()
        tracings = tuple(
            mapping.tracing(tracing_row)
            for tracing_row in session.scalars(
                select(VeinTracingRow).where(VeinTracingRow.session_id == session_id).order_by(VeinTracingRow.id)
            )
        )
        earlier_mg: dict[int, float] = {}
        for other in same_day:
            value = mapping.site(other)
            earlier_mg[value.agent_id] = earlier_mg.get(value.agent_id, 0.0) + site_mg(value)
    return _DoseInputs(header, sites, agents, earlier_mg, previous, interval_weeks, tracings)


def get_session(ctx: ServiceContext, session_id: str) -> SessionDetail:
    """The session with its sites (in number order), totals per agent, limits in use and findings."""
    return _detail(_dose_inputs(ctx, session_id))


def _detail(inputs: _DoseInputs) -> SessionDetail:
    header, sites = inputs.header, inputs.sites
    totals = session_totals(sites, inputs.agents)
    limits, findings = check_limits(sites, inputs.agents, header.weight_kg, inputs.earlier_mg)
    extra: list[Finding] = []
    warning = interval_finding(inputs.previous, header.started_at, inputs.interval_weeks)
    if warning is not None:
        extra.append(warning)
    uses_foam = any(site.form is Form.FOAM for site in sites)
    for item in absolute_contraindications(header.checklist, uses_foam):
        extra.append(
            Finding(
                Severity.EXCEEDED,
                "contraindication",
                f"Absolute contraindication ticked: {item.label}. Reason recorded for treating: "
                f"{header.checklist_override or '(none)'}",
                "Contraindications: product labels, UIP consensus 2023 (DOMAIN.md §4).",
            )
        )
    for site in sites:
        if site.override_reason:
            extra.append(
                Finding(
                    Severity.INFO,
                    "override",
                    f"Site {site.number}: limit confirmed by the practitioner. Reason: {site.override_reason}",
                    "Recorded at the chair.",
                    site.agent_id,
                    site.number,
                )
            )
    return SessionDetail(
        header,
        sites,
        totals,
        limits,
        (*findings, *extra),
        inputs.tracings,
        inputs.agents,
        inputs.earlier_mg,
        inputs.previous,
        inputs.interval_weeks,
    )


def limits_a_change_would_exceed(
    ctx: ServiceContext,
    session_id: str,
    draft: SiteDraft,
    site_id: int | None = None,
    *,
    shown: SessionDetail | None = None,
) -> tuple[Finding, ...]:
    """The limits not exceeded now that would be once this site is stored (asked before storing it).

    Args:
        ctx: the service context.
        session_id: the session the site belongs to.
        draft: the site as it would be stored.
        site_id: the stored site the draft replaces (an edit), or None for a new site.
        shown: the session as just loaded by get_session, to check against without reading it again.
    """
    if shown is None or shown.session.id != session_id:
        shown = get_session(ctx, session_id)
    agent = shown.agents.get(draft.agent_id)
    if agent is None:
        return ()
    clean = validate_site(draft, agent)
    replaced = next((site for site in shown.sites if site.id == site_id), None) if site_id is not None else None
    number = replaced.number if replaced else max((site.number for site in shown.sites), default=0) + 1
    probe = Site(
        id=site_id or 0,
        session_id=session_id,
        number=number,
        region="",
        region_label="",
        diagram_version=DIAGRAM_VERSION,
        **{name: getattr(clean, name) for name in _DRAFT_FIELDS if name != "override_reason"},
        override_reason="",
    )
    others = tuple(site for site in shown.sites if replaced is None or site.id != replaced.id)
    weight = shown.session.weight_kg
    _, before = check_limits(shown.sites, shown.agents, weight, shown.earlier_mg)
    _, after = check_limits((*others, probe), shown.agents, weight, shown.earlier_mg)
    already = {(f.code, f.agent_id, f.site_number) for f in before if f.severity is Severity.EXCEEDED}
    return tuple(
        f
        for f in after
        if f.severity is Severity.EXCEEDED
        and (f.code, f.agent_id, f.site_number) not in already
        and f.site_number in (None, number)
    )


_DRAFT_FIELDS = tuple(field.name for field in fields(SiteDraft))


def earlier_sites(ctx: ServiceContext, session_id: str) -> tuple[Site, ...]:
    """The sites of the patient's sessions before this one (to show faintly under the current session)."""
    with ctx.db.read() as session:
        row = load_session_row(session, session_id)
        rows = session.scalars(
            select(InjectionSiteRow)
            .join(TreatmentSessionRow, TreatmentSessionRow.id == InjectionSiteRow.session_id)
            .where(TreatmentSessionRow.patient_id == row.patient_id, TreatmentSessionRow.started_at < row.started_at)
            .order_by(TreatmentSessionRow.started_at, InjectionSiteRow.number)
        ).all()
        return tuple(mapping.site(site_row) for site_row in rows)


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
    with ctx.db.write() as session:
        row = load_session_row(session, session_id)
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
        session.add(follow)
        session.flush()
        created = mapping.follow_up(follow)
        audit.record(session, ctx, "create", "follow-up", follow.id, None, created)
    return created


def list_follow_ups(ctx: ServiceContext, session_id: str) -> tuple[FollowUp, ...]:
    """Follow-ups of a session, oldest first."""
    with ctx.db.read() as session:
        return tuple(
            mapping.follow_up(row)
            for row in session.scalars(
                select(FollowUpRow).where(FollowUpRow.session_id == session_id).order_by(FollowUpRow.examined_on)
            )
        )
