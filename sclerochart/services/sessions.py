"""Treatment sessions: start, change the details, sign, and the lists that find them."""

from __future__ import annotations

import uuid

from sclerochart.domain.dose import Finding
from sclerochart.domain.errors import ConflictError, FieldError, NotFoundError, ValidationError
from sclerochart.domain.names import NameOrder, list_name
from sclerochart.domain.schedule import interval_finding
from sclerochart.domain.validation import validate_session
from sclerochart.domain.values import Form, SessionDraft, SessionState, SessionSummary, TreatmentSession
from sclerochart.readmodels import ClinicSessionLine
from sclerochart.services import audit, mapping
from sclerochart.services.clinic import load_settings
from sclerochart.services.context import ServiceContext
from sclerochart.services.session_detail import practitioner_name, session_value
from sclerochart.services.sites import lock_draft_session, touch
from sclerochart.services.versions import require_version
from sclerochart.store.database import UnitOfWork
from sclerochart.store.models import PatientRow, PractitionerRow, TreatmentSessionRow
from sclerochart.store.repositories import sessions as session_repo


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
    row.checklist_reviewed = draft.checklist_reviewed
    row.weight_reason = draft.weight_reason
    row.vcss_right = dict(draft.vcss_right) if draft.vcss_right else None
    row.vcss_left = dict(draft.vcss_left) if draft.vcss_left else None


def _check_practitioner(tx: UnitOfWork, practitioner_id: int | None, before: int | None = None) -> None:
    if practitioner_id is None or practitioner_id == before:
        return
    row = tx.get(PractitionerRow, practitioner_id)
    if row is None:
        raise ValidationError([FieldError("Practitioner", "must be one of the clinic's practitioners.")])
    if not row.active:
        raise ValidationError([FieldError("Practitioner", f"{row.name} is deactivated; choose an active one.")])


def last_weight(ctx: ServiceContext, patient_id: str) -> float | None:
    """The weight recorded at the patient's latest session that has one (to prefill the next)."""
    with ctx.db.read() as tx:
        return session_repo.latest_weight(tx, patient_id)


def new_session_draft(ctx: ServiceContext, patient_id: str, practitioner_id: int | None = None) -> SessionDraft:
    """A session starting now, prefilled from the patient's record and the clinic settings.

    The practitioner is the one signed in (another can be chosen); the weight comes from the last session,
    the checklist ticks from the patient's history flags, and the compression prescription from the clinic
    settings.
    """
    with ctx.db.read() as tx:
        patient = tx.get(PatientRow, patient_id)
        history = tuple(patient.history or ()) if patient is not None else ()
    if practitioner_id is None and ctx.person is not None:
        practitioner_id = ctx.person.id
    return SessionDraft(
        practitioner_id=practitioner_id,
        started_at=ctx.clock(),
        weight_kg=last_weight(ctx, patient_id),
        checklist={key: True for key in history},
        compression=load_settings(ctx).compression(),
    )


def interval_before_start(ctx: ServiceContext, patient_id: str) -> Finding | None:
    """The interval warning a session started now would carry, asked before it is started (never a block)."""
    now = ctx.clock()
    with ctx.db.read() as tx:
        previous = session_repo.previous_start(tx, patient_id, now)
    return interval_finding(previous, now, load_settings(ctx).interval_weeks)


def start_session(ctx: ServiceContext, patient_id: str, draft: SessionDraft | None = None) -> TreatmentSession:
    """Open a new draft session for a patient; audited."""
    draft = draft or new_session_draft(ctx, patient_id)
    with ctx.db.write() as tx:
        patient = tx.get(PatientRow, patient_id)
        if patient is None:
            raise NotFoundError(f"No patient with the id {patient_id} is stored.")
        if patient.archived:
            raise ConflictError(
                f"{mapping.patient(patient).display_name} is archived.", "Restore the patient before treating."
            )
        clean = validate_session(draft, ctx.clock(), patient.date_of_birth)
        _check_practitioner(tx, clean.practitioner_id)
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
        tx.add(row)
        tx.flush()
        created = session_value(tx, row)
        audit.record(tx, ctx, "create", "session", row.id, None, created)
    return created


def update_session(
    ctx: ServiceContext, session_id: str, draft: SessionDraft, expected_details_version: int
) -> TreatmentSession:
    """Save changed session details made from `expected_details_version` of them; audited.

    Sites placed or changed meanwhile do not refuse it (they have their own versions); a change of the details
    does.

    Raises:
        StaleError: the session's details were changed since that version.
        ValidationError: a field is not allowed.
    """
    with ctx.db.write() as tx:
        row = lock_draft_session(tx, session_id)
        require_version(
            tx,
            ctx,
            what=f"The session of {row.started_at:%d.%m.%Y %H:%M}",
            entity="session",
            entity_id=session_id,
            stored=row.details_version,
            expected=expected_details_version,
            shows="The session now shows what is stored.",
        )
        patient = tx.get(PatientRow, row.patient_id)
        uses_foam = session_repo.site_count_of_form(tx, session_id, Form.FOAM.value)
        clean = validate_session(
            draft, ctx.clock(), patient.date_of_birth if patient else None, uses_foam=bool(uses_foam)
        )
        _check_practitioner(tx, clean.practitioner_id, row.practitioner_id)
        before = session_value(tx, row)
        if before.draft() == clean:
            return before
        _apply_session(row, clean)
        row.details_version += 1
        touch(row, ctx)
        tx.flush()
        after = session_value(tx, row)
        audit.record(tx, ctx, "update", "session", row.id, before, after)
    return after


def list_sessions(ctx: ServiceContext, patient_id: str) -> tuple[SessionSummary, ...]:
    """A patient's sessions, newest first, with their number of sites and total volume."""
    with ctx.db.read() as tx:
        if tx.get(PatientRow, patient_id) is None:
            raise NotFoundError(f"No patient with the id {patient_id} is stored.")
        return tuple(
            SessionSummary(
                sid, started, name, int(sites), round(float(ml), 6), SessionState(state), voided_at is not None
            )
            for sid, started, name, sites, ml, state, voided_at in session_repo.session_summary_rows(tx, patient_id)
        )


def recent_sessions(ctx: ServiceContext, limit: int = 50) -> tuple[ClinicSessionLine, ...]:
    """The clinic's latest sessions, newest first, with their patients."""
    with ctx.db.read() as tx:
        rows = session_repo.recent_session_rows(tx, limit)
        ids = [row[0].id for row in rows]
        counts = {sid: (int(count), float(ml)) for sid, count, ml in session_repo.site_counts(tx, ids)}
        lines = []
        for header, chart, family, given, order in rows:
            count, ml = counts.get(header.id, (0, 0.0))
            lines.append(
                ClinicSessionLine(
                    chart,
                    list_name(family, given, NameOrder(order)),
                    SessionSummary(
                        header.id,
                        header.started_at,
                        practitioner_name(tx, header.practitioner_id),
                        count,
                        round(ml, 6),
                        SessionState(header.state),
                        header.voided_at is not None,
                    ),
                )
            )
        return tuple(lines)


def find_session(ctx: ServiceContext, reference: str) -> str:
    """The id of a session named by its full id or the first 8 or more characters of it."""
    text = reference.strip().lower()
    with ctx.db.read() as tx:
        if tx.get(TreatmentSessionRow, text) is not None:
            return text
        if len(text) >= 8:
            ids = session_repo.session_ids_starting(tx, text)
            if len(ids) == 1:
                return ids[0]
    raise NotFoundError(
        f"No single session has the id {reference!r}.", "Use 'sclerochart sessions PATIENT' to list the ids."
    )
